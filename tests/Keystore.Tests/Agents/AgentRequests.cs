using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Keystore.Tests.Support;
using NSec.Cryptography;

namespace Keystore.Tests.Agents;

/// <summary>What the policy route tests share: registering an agent with a policy, and sending requests signed by a key.</summary>
internal static class AgentRequests
{
    public const string Account = KeystoreServer.Owner;

    public static string PublicKeyOf(Key key) => new Keystore.Near.Keys.Ed25519PublicKey(key.PublicKey.Export(KeyBlobFormat.RawPublicKey)).ToString();

    public static HttpRequestMessage Signed(HttpMethod method, string path, string? body, Key key) =>
        NearRequests.Request(method, path, body, NearRequests.Credential(method.Method, path, Encoding.UTF8.GetBytes(body ?? ""), Account, key));

    /// <summary>Sends <paramref name="request"/>; the answer's status, its body, and its content type.</summary>
    public static async Task<(HttpStatusCode Status, JsonNode? Body, string? ContentType)> SendAsync(HttpClient client, HttpRequestMessage request)
    {
        using (request)
        {
            using HttpResponseMessage response = await client.SendAsync(request);
            string text = await response.Content.ReadAsStringAsync();
            return (response.StatusCode, text.Length == 0 ? null : JsonNode.Parse(text), response.Content.Headers.ContentType?.MediaType);
        }
    }

    /// <summary>POSTs <paramref name="body"/> to the sign route of <paramref name="chain"/> as <paramref name="agent"/>.</summary>
    public static Task<(HttpStatusCode Status, JsonNode? Body, string? ContentType)> SignAsync(KeystoreServer server, Key agent, string chain, string body) =>
        SendAsync(server.Client, Signed(HttpMethod.Post, $"/v1/accounts/{Account}/sign/{chain}", body, agent));

    public static async Task<Key> RegisterAgentAsync(KeystoreServer server, string policy)
    {
        var agent = Key.Create(SignatureAlgorithm.Ed25519);
        string body = new JsonObject
        {
            ["publicKey"] = PublicKeyOf(agent),
            ["name"] = "bot",
            ["expiresAt"] = DateTimeOffset.UtcNow.AddDays(30).ToString("yyyy-MM-ddTHH:mm:ssZ"),
            ["policy"] = JsonNode.Parse(policy),
        }.ToJsonString();
        (HttpStatusCode status, JsonNode? answer, _) = await SendAsync(server.Client, Signed(HttpMethod.Post, $"/v1/accounts/{Account}/agents", body, server.OwnerKey));
        Assert.True(status == HttpStatusCode.Created, answer?.ToJsonString());
        return agent;
    }

    /// <summary>Asserts a 403 <c>policy-denied</c> problem naming <paramref name="rule"/>, with no signature in it.</summary>
    public static void AssertDenied((HttpStatusCode Status, JsonNode? Body, string? ContentType) answer, string rule)
    {
        Assert.True(answer.Status == HttpStatusCode.Forbidden, $"{answer.Status} {answer.Body?.ToJsonString()}");
        Assert.Equal("application/problem+json", answer.ContentType);
        Assert.EndsWith(":policy-denied", answer.Body!["type"]!.GetValue<string>());
        Assert.Equal(rule, answer.Body["rule"]!.GetValue<string>());
        Assert.Null(answer.Body["signature"]);
        Assert.Null(answer.Body["signedTransaction"]);
        Assert.Null(answer.Body["psbt"]);
    }
}
