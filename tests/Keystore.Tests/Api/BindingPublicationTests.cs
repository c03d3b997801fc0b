using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Keystore.Tests.Support;
using NSec.Cryptography;

namespace Keystore.Tests.Api;

/// <summary>
/// Publishing a binding spends the DAO's gas, so only the owner may start it: an owner-signed GET or POST
/// …/publish. (That an anonymous GET sends nothing to NEAR is checked on a real chain in the end-to-end bindings test.)
/// </summary>
public class BindingPublicationTests
{
    private static HttpRequestMessage Signed(KeystoreServer server, HttpMethod method, string path, string account = KeystoreServer.Owner, Key? key = null)
    {
        var request = new HttpRequestMessage(method, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("NEAR",
            KeystoreServer.Credential(method.Method, path, [], account, key ?? server.OwnerKey));
        return request;
    }

    private static async Task<(HttpStatusCode Status, JsonNode Body)> SendAsync(KeystoreServer server, HttpRequestMessage request)
    {
        using HttpResponseMessage response = await server.Client.SendAsync(request);
        return (response.StatusCode, JsonNode.Parse(await response.Content.ReadAsStringAsync())!);
    }

    [Fact]
    public async Task Only_the_owner_may_ask_to_publish_and_every_answer_names_the_same_address()
    {
        await using KeystoreServer server = await KeystoreServer.StartAsync();
        const string keys = "/v1/accounts/alice.near/keys/ethereum?index=3";
        const string publish = "/v1/accounts/alice.near/keys/ethereum/publish?index=3";
        JsonNode anonymous = JsonNode.Parse(await server.Client.GetStringAsync(keys))!;

        var (ownerGet, ownerGetBody) = await SendAsync(server, Signed(server, HttpMethod.Get, keys));
        Assert.Equal(HttpStatusCode.OK, ownerGet);
        var (ownerPost, ownerPostBody) = await SendAsync(server, Signed(server, HttpMethod.Post, publish));
        Assert.Equal(HttpStatusCode.OK, ownerPost);
        Assert.Equal(anonymous["address"]!.GetValue<string>(), ownerGetBody["address"]!.GetValue<string>());
        Assert.Equal(anonymous["address"]!.GetValue<string>(), ownerPostBody["address"]!.GetValue<string>());
        // A backup-secret keystore is no DAO worker: it publishes nothing, whoever asks.
        Assert.Equal("disabled", ownerPostBody["binding"]!["state"]!.GetValue<string>());

        using var stranger = Key.Create(SignatureAlgorithm.Ed25519);
        Assert.Equal(HttpStatusCode.Forbidden, (await SendAsync(server, Signed(server, HttpMethod.Get, keys, key: stranger))).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await SendAsync(server, Signed(server, HttpMethod.Post, publish, key: stranger))).Status);
        var (unsigned, problem) = await SendAsync(server, new HttpRequestMessage(HttpMethod.Post, publish));
        Assert.Equal(HttpStatusCode.Unauthorized, unsigned);
        Assert.Equal("urn:near-tee-keystore:problem:missing-authorization", problem["type"]!.GetValue<string>());
        // A GET with a credential that does not verify is refused, not silently served as anonymous.
        HttpRequestMessage forged = Signed(server, HttpMethod.Get, "/v1/accounts/alice.near/keys/ethereum?index=4");
        forged.RequestUri = new Uri(keys, UriKind.Relative);
        Assert.Equal(HttpStatusCode.Unauthorized, (await SendAsync(server, forged)).Status);
    }
}
