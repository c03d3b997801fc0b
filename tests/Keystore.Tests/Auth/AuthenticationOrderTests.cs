using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Keystore.Near.Encoding;
using Keystore.Tests.Support;
using NSec.Cryptography;

namespace Keystore.Tests.Auth;

/// <summary>parse → timestamp window → signature → ownership → nonce, over real Kestrel.</summary>
public class AuthenticationOrderTests
{
    private const string EthPath = "/v1/accounts/alice.near/sign/ethereum";
    private const string Body = """{"message":"x"}""";

    private static async Task<(HttpStatusCode Status, string Type)> SendAsync(KeystoreServer server, HttpRequestMessage request)
    {
        using HttpResponseMessage response = await server.Client.SendAsync(request);
        string raw = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, JsonNode.Parse(raw)?["type"]?.GetValue<string>() ?? "");
    }

    [Fact]
    public async Task Requests_signed_by_a_key_that_owns_nothing_take_no_nonce_slot()
    {
        // Two slots: the stranger's requests, refused for ownership, must not have used them.
        await using KeystoreServer server = await KeystoreServer.StartAsync(new Dictionary<string, string?> { ["Keystore:Auth:NonceCapacity"] = "2" });
        using var stranger = Key.Create(SignatureAlgorithm.Ed25519);
        for (int i = 0; i < 20; i++)
            Assert.Equal((HttpStatusCode.Forbidden, "urn:near-tee-keystore:problem:not-account-owner"),
                await SendAsync(server, server.SignedPost(EthPath, Body, key: stranger)));

        Assert.Equal(HttpStatusCode.OK, (await SendAsync(server, server.SignedPost(EthPath, Body))).Status);
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(server, server.SignedPost(EthPath, Body))).Status);
        // Both slots now hold live nonces: the next request is refused (503 busy), never a live nonce forgotten.
        Assert.Equal((HttpStatusCode.ServiceUnavailable, "urn:near-tee-keystore:problem:busy"),
            await SendAsync(server, server.SignedPost(EthPath, Body)));
    }

    [Fact]
    public async Task An_agent_that_fills_its_nonce_share_cannot_keep_the_owner_from_freezing_the_account()
    {
        // Three slots. A rogue agent spends every one it can get; the owner must still be able to freeze the account and
        // revoke the agent: the kill switch cannot depend on the goodwill of the key it stops.
        await using Approvals.ApprovalHarness harness = await Approvals.ApprovalHarness.StartAsync(
            settings: new Dictionary<string, string?> { ["Keystore:Auth:NonceCapacity"] = "3" });
        const string account = Approvals.ApprovalHarness.Account;
        HttpStatusCode agentStatus;
        int sent = 0;
        do
        {
            (agentStatus, _) = await harness.AgentSignsAsync(Body);
            sent++;
        }
        while (agentStatus != HttpStatusCode.ServiceUnavailable && sent < 10);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, agentStatus);

        (HttpStatusCode frozen, JsonNode? policy) = await harness.SendAsync(HttpMethod.Put, $"/v1/accounts/{account}/policy", """{"frozen":true}""",
            account, harness.Server.OwnerKey);
        Assert.True(frozen == HttpStatusCode.OK, policy?.ToJsonString());
        (HttpStatusCode revoked, JsonNode? answer) = await harness.SendAsync(HttpMethod.Delete,
            $"/v1/accounts/{account}/agents/{Approvals.ApprovalHarness.PublicKeyOf(harness.AgentKey)}", null, account, harness.Server.OwnerKey);
        Assert.True(revoked == HttpStatusCode.OK, answer?.ToJsonString());
    }

    [Theory]
    [InlineData(long.MinValue)]
    [InlineData(long.MaxValue)]
    [InlineData(-1L)]
    public async Task Timestamps_at_the_ends_of_the_range_are_401_not_500(long offset)
    {
        await using KeystoreServer server = await KeystoreServer.StartAsync();
        long now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        long ts = offset == -1 ? long.MinValue : unchecked(now + offset); // now − 2^63, now + 2^63 − 1 (wraps), long.MinValue
        var (status, type) = await SendAsync(server, server.SignedPost(EthPath, Body, timestampMs: ts));
        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Equal("urn:near-tee-keystore:problem:expired-authorization", type);
    }

    [Fact]
    public async Task An_owner_key_configured_without_its_prefix_is_the_same_key()
    {
        using var owner = Key.Create(SignatureAlgorithm.Ed25519);
        string bare = Base58.Encode(owner.PublicKey.Export(KeyBlobFormat.RawPublicKey));
        await using KeystoreServer server = await KeystoreServer.StartAsync(new Dictionary<string, string?> { ["Keystore:Owners:carol.near:0"] = bare });
        var (status, _) = await SendAsync(server, server.SignedPost("/v1/accounts/carol.near/sign/ethereum", Body, account: "carol.near", key: owner));
        Assert.Equal(HttpStatusCode.OK, status);

        // And a request presenting the key without its prefix is checked by bytes too.
        var request = new HttpRequestMessage(HttpMethod.Post, "/v1/accounts/alice.near/sign/ethereum") { Content = new StringContent(Body, System.Text.Encoding.UTF8, "application/json") };
        string credential = KeystoreServer.Credential("POST", "/v1/accounts/alice.near/sign/ethereum", System.Text.Encoding.UTF8.GetBytes(Body), "alice.near", server.OwnerKey);
        JsonNode json = JsonNode.Parse(System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(Pad(credential))))!;
        json["publicKey"] = server.OwnerPublicKey["ed25519:".Length..];
        request.Headers.Authorization = new AuthenticationHeaderValue("NEAR", Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(json.ToJsonString())));
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(server, request)).Status);
    }

    private static string Pad(string base64Url)
    {
        string s = base64Url.Replace('-', '+').Replace('_', '/');
        return s.PadRight(s.Length + (4 - s.Length % 4) % 4, '=');
    }
}
