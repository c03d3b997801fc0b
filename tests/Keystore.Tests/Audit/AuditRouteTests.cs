using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Keystore.Audit;
using Keystore.Near.Keys;
using Keystore.Tests.Support;
using NSec.Cryptography;

namespace Keystore.Tests.Audit;

public class AuditRouteTests
{
    private const string Account = KeystoreServer.Owner;
    private const string Message = """{"message":"audited"}""";

    private static HttpRequestMessage Signed(HttpMethod method, string path, string? body, Key key, string account = Account) =>
        NearRequests.Request(method, path, body, NearRequests.Credential(method.Method, path, Encoding.UTF8.GetBytes(body ?? ""), account, key));

    private static async Task<(HttpStatusCode Status, JsonNode? Body, string? ContentType)> SendAsync(HttpClient client, HttpRequestMessage request)
    {
        using (request)
        {
            using HttpResponseMessage response = await client.SendAsync(request);
            string text = await response.Content.ReadAsStringAsync();
            return (response.StatusCode, text.Length == 0 ? null : JsonNode.Parse(text), response.Content.Headers.ContentType?.MediaType);
        }
    }

    [Fact]
    public async Task Signing_and_freezing_are_audited_owners_read_their_entries_and_anyone_reads_the_chain()
    {
        await using KeystoreServer server = await KeystoreServer.StartAsync();
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(server.Client, Signed(HttpMethod.Post, $"/v1/accounts/{Account}/sign/ethereum", Message, server.OwnerKey))).Status);
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(server.Client, Signed(HttpMethod.Put, $"/v1/accounts/{Account}/policy", """{"frozen":true}""", server.OwnerKey))).Status);
        (HttpStatusCode denied, JsonNode? problem, _) = await SendAsync(server.Client, Signed(HttpMethod.Post, $"/v1/accounts/{Account}/sign/ethereum", Message, server.OwnerKey));
        Assert.Equal(HttpStatusCode.Forbidden, denied);
        Assert.Equal("account-freeze", problem!["rule"]!.GetValue<string>());

        (HttpStatusCode status, JsonNode? mine, _) = await SendAsync(server.Client, Signed(HttpMethod.Get, $"/v1/accounts/{Account}/audit", null, server.OwnerKey));
        Assert.Equal(HttpStatusCode.OK, status);
        JsonArray entries = mine!["entries"]!.AsArray();
        Assert.Equal(["signed", "frozen", "denied"], entries.Select(e => e!["entry"]!["kind"]!.GetValue<string>()));
        Assert.Equal("account-freeze", entries[2]!["entry"]!["rule"]!.GetValue<string>());
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(Message))), entries[0]!["entry"]!["payloadHash"]!.GetValue<string>());

        JsonNode attestation = JsonNode.Parse(await server.Client.GetStringAsync("/v1/attestation"))!;
        JsonNode chain = JsonNode.Parse(await server.Client.GetStringAsync("/v1/audit/chain?after=0&limit=10"))!;
        Assert.Equal(attestation["auditPublicKey"]!.GetValue<string>(), chain["auditPublicKey"]!.GetValue<string>());
        Assert.DoesNotContain(Account, chain.ToJsonString());
        (string key, IReadOnlyList<AuditEntry> links) = AuditChainExport.Parse(chain.ToJsonString());
        Assert.Equal(3, links.Count);
        Assert.Null(AuditChainVerifier.FirstBad(Ed25519PublicKey.Parse(key), links));
        JsonNode head = JsonNode.Parse(await server.Client.GetStringAsync("/v1/audit/head"))!;
        Assert.Equal(3, head["sequence"]!.GetValue<long>());
        Assert.Equal(chain["entries"]![2]!["hash"]!.GetValue<string>(), head["hash"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("/v1/audit/chain?limit=0")]
    [InlineData("/v1/audit/chain?limit=1001")]
    [InlineData("/v1/audit/chain?after=-1")]
    [InlineData("/v1/audit/chain?after=1&after=2")]
    [InlineData("/v1/audit/chain?after=99999999999999999999999")]
    [InlineData("/v1/audit/chain?limit=%00")]
    public async Task Hostile_chain_queries_are_400_problems(string path)
    {
        await using KeystoreServer server = await KeystoreServer.StartAsync();
        using HttpResponseMessage response = await server.Client.GetAsync(path);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("invalid-request", await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("?agent=nope")]
    [InlineData("?from=yesterday")]
    [InlineData("?to=0001-01-01T00:00:00Z")]
    [InlineData("?limit=abc")]
    public async Task Hostile_owner_queries_are_400_problems(string query)
    {
        await using KeystoreServer server = await KeystoreServer.StartAsync();
        string path = $"/v1/accounts/{Account}/audit{query}";
        (HttpStatusCode status, JsonNode? body, string? type) = await SendAsync(server.Client, Signed(HttpMethod.Get, path, null, server.OwnerKey));
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("application/problem+json", type);
        Assert.EndsWith("invalid-request", body!["type"]!.GetValue<string>());
    }

    [Fact]
    public async Task Another_account_and_no_credential_cannot_read_an_owners_entries()
    {
        await using KeystoreServer server = await KeystoreServer.StartAsync();
        using (HttpResponseMessage anonymous = await server.Client.GetAsync($"/v1/accounts/{Account}/audit"))
            Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        using Key stranger = Key.Create(SignatureAlgorithm.Ed25519);
        (HttpStatusCode status, _, _) = await SendAsync(server.Client, Signed(HttpMethod.Get, $"/v1/accounts/{Account}/audit", null, stranger));
        Assert.True(status is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden, status.ToString());
    }
}
