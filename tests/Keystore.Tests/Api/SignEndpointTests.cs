using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Keystore.Tests.Support;
using NSec.Cryptography;

namespace Keystore.Tests.Api;

/// <summary>The sign route end to end on Kestrel, with results checked by independent libraries.</summary>
public class SignEndpointTests : IAsyncLifetime
{
    private const string EthPath = "/v1/accounts/alice.near/sign/ethereum";
    private KeystoreServer _server = null!;

    public async Task InitializeAsync() => _server = await KeystoreServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private async Task<JsonNode> KeyAsync(string chain, uint index = 0) =>
        JsonNode.Parse(await _server.Client.GetStringAsync($"/v1/accounts/alice.near/keys/{chain}?index={index}"))!;

    private async Task<(HttpStatusCode Status, JsonNode Body, string Raw)> SendAsync(HttpRequestMessage request)
    {
        using HttpResponseMessage response = await _server.Client.SendAsync(request);
        string raw = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, raw.Length == 0 ? new JsonObject() : JsonNode.Parse(raw)!, raw);
    }

    [Fact]
    public async Task An_EIP1559_transaction_is_signed_by_the_accounts_key_and_parses_in_ethers()
    {
        const string body = """
            {"index": 1, "transaction": {"type": "0x2", "chainId": "0x1", "nonce": "0x7", "to": "0x3535353535353535353535353535353535353535",
             "value": "1000000000000000000", "gas": "21000", "maxFeePerGas": "0x4a817c800", "maxPriorityFeePerGas": "0x3b9aca00", "data": "0x"}}
            """;
        var (status, result, raw) = await SendAsync(_server.SignedPost(EthPath, body));
        Assert.True(status == HttpStatusCode.OK, raw);
        string expectedFrom = (await KeyAsync("ethereum", 1))["address"]!.GetValue<string>();
        Assert.Equal(expectedFrom, result["from"]!.GetValue<string>());

        JsonNode parsed = await NodeOracle.RunAsync("keystore-api.mjs", new JsonObject { ["op"] = "eth-parse", ["signedTransaction"] = result["signedTransaction"]!.GetValue<string>() });
        Assert.Equal(expectedFrom, parsed["from"]!.GetValue<string>());
        Assert.Equal(2, parsed["type"]!.GetValue<int>());
        Assert.Equal("1", parsed["chainId"]!.GetValue<string>());
        Assert.Equal(7, parsed["nonce"]!.GetValue<int>());
        Assert.Equal("1000000000000000000", parsed["value"]!.GetValue<string>());
        Assert.Equal(parsed["hash"]!.GetValue<string>(), result["hash"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_personal_message_signature_recovers_to_the_address()
    {
        var (status, result, raw) = await SendAsync(_server.SignedPost(EthPath, """{"message": "log in to app.example"}"""));
        Assert.True(status == HttpStatusCode.OK, raw);
        JsonNode recovered = await NodeOracle.RunAsync("keystore-api.mjs", new JsonObject
        {
            ["op"] = "eth-message", ["message"] = "log in to app.example", ["signature"] = result["signature"]!.GetValue<string>(),
        });
        Assert.Equal((await KeyAsync("ethereum"))["address"]!.GetValue<string>(), recovered["address"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_PSBT_gets_a_valid_key_path_signature_on_our_input_only()
    {
        string publicKey = (await KeyAsync("bitcoin"))["publicKey"]!.GetValue<string>();
        JsonNode built = await NodeOracle.RunAsync("keystore-api.mjs", new JsonObject { ["op"] = "psbt-build", ["publicKey"] = publicKey, ["network"] = "mainnet" });
        var request = new JsonObject { ["psbt"] = built["psbt"]!.GetValue<string>() };
        var (status, result, raw) = await SendAsync(_server.SignedPost("/v1/accounts/alice.near/sign/bitcoin", request.ToJsonString()));
        Assert.True(status == HttpStatusCode.OK, raw);

        JsonNode check = await NodeOracle.RunAsync("keystore-api.mjs", new JsonObject
        {
            ["op"] = "psbt-check", ["psbt"] = result["psbt"]!.GetValue<string>(), ["publicKey"] = publicKey, ["network"] = "mainnet",
        });
        Assert.True(check["ourInputValid"]!.GetValue<bool>());
        Assert.True(check["foreignInputUntouched"]!.GetValue<bool>());
        Assert.True(check["finalized"]!.GetValue<bool>());

        // A PSBT with no input of ours is refused, not returned unsigned.
        var (foreignStatus, problem, _) = await SendAsync(_server.SignedPost("/v1/accounts/alice.near/sign/bitcoin",
            new JsonObject { ["psbt"] = built["foreignPsbt"]!.GetValue<string>() }.ToJsonString()));
        Assert.Equal(HttpStatusCode.BadRequest, foreignStatus);
        Assert.Null(problem["psbt"]);
    }

    [Fact]
    public async Task Solana_messages_are_signed_when_we_are_a_signer_and_refused_otherwise()
    {
        string address = (await KeyAsync("solana"))["address"]!.GetValue<string>();
        JsonNode messages = await NodeOracle.RunAsync("keystore-api.mjs", new JsonObject { ["op"] = "sol-message", ["address"] = address });
        foreach (string kind in new[] { "message", "legacyMessage" })
        {
            string message = messages[kind]!.GetValue<string>();
            var (status, result, raw) = await SendAsync(_server.SignedPost("/v1/accounts/alice.near/sign/solana", new JsonObject { ["message"] = message }.ToJsonString()));
            Assert.True(status == HttpStatusCode.OK, raw);
            JsonNode verdict = await NodeOracle.RunAsync("keystore-api.mjs", new JsonObject
            {
                ["op"] = "sol-verify", ["message"] = message, ["signature"] = result["signature"]!.GetValue<string>(), ["address"] = address,
            });
            Assert.True(verdict["valid"]!.GetValue<bool>());
        }

        var (foreignStatus, problem, _) = await SendAsync(_server.SignedPost("/v1/accounts/alice.near/sign/solana",
            new JsonObject { ["message"] = messages["foreignMessage"]!.GetValue<string>() }.ToJsonString()));
        Assert.Equal(HttpStatusCode.BadRequest, foreignStatus);
        Assert.Equal("urn:near-tee-keystore:problem:not-a-signer", problem["type"]!.GetValue<string>());
    }

    public static TheoryData<string, string, string> BadBodies => new()
    {
        { "ethereum", "{not json", "invalid-json" },
        { "ethereum", "[1,2]", "invalid-request" },
        { "ethereum", """{"index": -1, "message": "x"}""", "invalid-index" },
        { "ethereum", """{"index": "0", "message": "x"}""", "invalid-index" },
        { "ethereum", """{"transaction": {"type": "0x2", "chainId": "0x1", "nonce": "-1", "to": "0x3535353535353535353535353535353535353535", "value": "0", "gas": "21000", "maxFeePerGas": "1", "maxPriorityFeePerGas": "1"}}""", "invalid-transaction" },
        { "ethereum", Eip1559WithValue("0x1" + new string('0', 65)), "invalid-transaction" },
        { "ethereum", """{"transaction": {"type": "0x2", "chainId": {"id": 1}, "nonce": "0", "to": "0x3535353535353535353535353535353535353535", "value": "0", "gas": "21000", "maxFeePerGas": "1", "maxPriorityFeePerGas": "1"}}""", "invalid-transaction" },
        { "ethereum", """{"transaction": {"type": "0x2", "chainId": true, "nonce": "0", "to": "0x3535353535353535353535353535353535353535", "value": "0", "gas": "21000", "maxFeePerGas": "1", "maxPriorityFeePerGas": "1"}}""", "invalid-transaction" },
        { "bitcoin", """{"psbt": "this is not base64!"}""", "invalid-psbt" },
        { "bitcoin", """{"psbt": "cHNidP8BAHsCAAAAAgEBAQEBAQ=="}""", "invalid-psbt" },
        { "solana", """{"message": "%%%"}""", "invalid-message" },
    };

    private static string Eip1559WithValue(string value) =>
        "{\"transaction\": {\"type\": \"0x2\", \"chainId\": \"0x1\", \"nonce\": \"0\", \"to\": \"0x3535353535353535353535353535353535353535\", \"value\": \""
        + value + "\", \"gas\": \"21000\", \"maxFeePerGas\": \"1\", \"maxPriorityFeePerGas\": \"1\"}}";

    [Theory]
    [MemberData(nameof(BadBodies))]
    public async Task Malformed_sign_requests_are_400_and_sign_nothing(string chain, string body, string slug)
    {
        var (status, problem, raw) = await SendAsync(_server.SignedPost($"/v1/accounts/alice.near/sign/{chain}", body));
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("urn:near-tee-keystore:problem:" + slug, problem["type"]!.GetValue<string>());
        Assert.DoesNotContain("signedTransaction", raw);
        Assert.Null(problem["signature"]);
    }

    [Fact]
    public async Task Unknown_chain_and_bad_account_are_400()
    {
        var (s1, p1, _) = await SendAsync(_server.SignedPost("/v1/accounts/alice.near/sign/dogecoin", """{"message":"x"}"""));
        Assert.Equal(HttpStatusCode.BadRequest, s1);
        Assert.Equal("urn:near-tee-keystore:problem:unknown-chain", p1["type"]!.GetValue<string>());
        var (s2, p2, _) = await SendAsync(_server.SignedPost("/v1/accounts/ALICE/sign/ethereum", """{"message":"x"}"""));
        Assert.Equal(HttpStatusCode.BadRequest, s2);
        Assert.Equal("urn:near-tee-keystore:problem:invalid-account", p2["type"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_body_over_the_limit_is_413()
    {
        string big = "{\"message\": \"" + new string('a', 256 * 1024) + "\"}";
        var (status, problem, _) = await SendAsync(_server.SignedPost(EthPath, big));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, status);
        Assert.Equal("urn:near-tee-keystore:problem:payload-too-large", problem["type"]!.GetValue<string>());
    }

    [Fact]
    public async Task Missing_authorization_is_401()
    {
        var request = new HttpRequestMessage(HttpMethod.Post, EthPath) { Content = new StringContent("""{"message":"x"}""", Encoding.UTF8, "application/json") };
        var (status, problem, _) = await SendAsync(request);
        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Equal("urn:near-tee-keystore:problem:missing-authorization", problem["type"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("Bearer abc", "invalid-authorization")]
    [InlineData("NEAR !!!", "invalid-authorization")]
    [InlineData("NEAR e30", "invalid-authorization")] // base64url of {}
    public async Task Malformed_authorization_is_401(string header, string slug)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, EthPath) { Content = new StringContent("""{"message":"x"}""", Encoding.UTF8, "application/json") };
        request.Headers.TryAddWithoutValidation("Authorization", header);
        var (status, problem, _) = await SendAsync(request);
        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Equal("urn:near-tee-keystore:problem:" + slug, problem["type"]!.GetValue<string>());
    }

    [Theory]
    [InlineData(-6)]
    [InlineData(6)]
    public async Task A_timestamp_outside_five_minutes_is_401(int minutes)
    {
        long ts = DateTimeOffset.UtcNow.AddMinutes(minutes).ToUnixTimeMilliseconds();
        var (status, problem, _) = await SendAsync(_server.SignedPost(EthPath, """{"message":"x"}""", timestampMs: ts));
        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Equal("urn:near-tee-keystore:problem:expired-authorization", problem["type"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_replayed_nonce_is_401()
    {
        byte[] nonce = RandomNumberGenerator.GetBytes(32);
        long ts = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var (first, _, raw) = await SendAsync(_server.SignedPost(EthPath, """{"message":"x"}""", timestampMs: ts, nonce: nonce));
        Assert.True(first == HttpStatusCode.OK, raw);
        var (second, problem, replayRaw) = await SendAsync(_server.SignedPost(EthPath, """{"message":"x"}""", timestampMs: ts, nonce: nonce));
        Assert.Equal(HttpStatusCode.Unauthorized, second);
        Assert.Equal("urn:near-tee-keystore:problem:replayed-nonce", problem["type"]!.GetValue<string>());
        Assert.DoesNotContain("signature\":\"0x", replayRaw);
    }

    [Fact]
    public async Task A_signature_over_other_bytes_is_401()
    {
        // Signed for one body, sent with another: the body hash inside the signed message differs.
        HttpRequestMessage request = _server.SignedPost(EthPath, """{"message":"pay 1"}""");
        request.Content = new StringContent("""{"message":"pay 1000"}""", Encoding.UTF8, "application/json");
        var (status, problem, _) = await SendAsync(request);
        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Equal("urn:near-tee-keystore:problem:bad-signature", problem["type"]!.GetValue<string>());

        // Signed for another service (recipient): also refused.
        var (status2, problem2, _) = await SendAsync(_server.SignedPost(EthPath, """{"message":"x"}""", recipient: "other-service"));
        Assert.Equal(HttpStatusCode.Unauthorized, status2);
        Assert.Equal("urn:near-tee-keystore:problem:bad-signature", problem2["type"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_key_that_does_not_own_the_account_is_403()
    {
        using var stranger = Key.Create(SignatureAlgorithm.Ed25519);
        var (status, problem, _) = await SendAsync(_server.SignedPost(EthPath, """{"message":"x"}""", key: stranger));
        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.Equal("urn:near-tee-keystore:problem:not-account-owner", problem["type"]!.GetValue<string>());

        // alice's own key, but acting for bob's account.
        var (status2, problem2, _) = await SendAsync(_server.SignedPost("/v1/accounts/bob.near/sign/ethereum", """{"message":"x"}"""));
        Assert.Equal(HttpStatusCode.Forbidden, status2);
        Assert.Equal("urn:near-tee-keystore:problem:not-account-owner", problem2["type"]!.GetValue<string>());
    }
}
