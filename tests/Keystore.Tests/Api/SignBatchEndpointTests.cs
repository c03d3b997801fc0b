using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Keystore.Tests.Support;

namespace Keystore.Tests.Api;

/// <summary>The batch route: one authenticated request, every item signed or refused on its own.</summary>
public class SignBatchEndpointTests : IAsyncLifetime
{
    private const string BatchPath = "/v1/accounts/alice.near/sign-batch/ethereum";
    private const string Transaction = """
        {"index": 1, "transaction": {"type": "0x2", "chainId": "0x1", "nonce": "0x7", "to": "0x3535353535353535353535353535353535353535",
         "value": "1000000000000000000", "gas": "21000", "maxFeePerGas": "0x4a817c800", "maxPriorityFeePerGas": "0x3b9aca00", "data": "0x"}}
        """;
    private KeystoreServer _server = null!;

    public async Task InitializeAsync() => _server = await KeystoreServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private async Task<(HttpStatusCode Status, JsonNode Body, string Raw)> SendAsync(HttpRequestMessage request)
    {
        using HttpResponseMessage response = await _server.Client.SendAsync(request);
        string raw = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, raw.Length == 0 ? new JsonObject() : JsonNode.Parse(raw)!, raw);
    }

    [Fact]
    public async Task Each_item_is_signed_like_the_single_route_or_refused_with_its_own_problem()
    {
        string batch = """{"items": [""" + Transaction + """, {"message": "log in to app.example"}, {"transaction": {"type": "0x2"}}, 5, {"message": "x", "index": -1}]}""";
        var (status, body, raw) = await SendAsync(_server.SignedPost(BatchPath, batch));
        Assert.True(status == HttpStatusCode.OK, raw);
        JsonArray results = body["results"]!.AsArray();
        Assert.Equal(5, results.Count);

        // ECDSA here is deterministic (RFC 6979): the same request on the single route gives the same bytes.
        var (singleStatus, single, singleRaw) = await SendAsync(_server.SignedPost("/v1/accounts/alice.near/sign/ethereum", Transaction));
        Assert.True(singleStatus == HttpStatusCode.OK, singleRaw);
        Assert.Equal(single.ToJsonString(), results[0]!["result"]!.ToJsonString());
        string address = JsonNode.Parse(await _server.Client.GetStringAsync("/v1/accounts/alice.near/keys/ethereum?index=1"))!["address"]!.GetValue<string>();
        JsonNode parsed = await NodeOracle.RunAsync("keystore-api.mjs", new JsonObject { ["op"] = "eth-parse", ["signedTransaction"] = results[0]!["result"]!["signedTransaction"]!.GetValue<string>() });
        Assert.Equal(address, parsed["from"]!.GetValue<string>());

        JsonNode recovered = await NodeOracle.RunAsync("keystore-api.mjs", new JsonObject
        {
            ["op"] = "eth-message", ["message"] = "log in to app.example", ["signature"] = results[1]!["result"]!["signature"]!.GetValue<string>(),
        });
        string address0 = JsonNode.Parse(await _server.Client.GetStringAsync("/v1/accounts/alice.near/keys/ethereum"))!["address"]!.GetValue<string>();
        Assert.Equal(address0, recovered["address"]!.GetValue<string>());

        AssertProblem(results[2]!, "invalid-transaction");
        AssertProblem(results[3]!, "invalid-request");
        AssertProblem(results[4]!, "invalid-index");
    }

    private static void AssertProblem(JsonNode item, string slug)
    {
        Assert.Null(item["result"]);
        JsonNode problem = item["problem"]!;
        Assert.Equal("urn:near-tee-keystore:problem:" + slug, problem["type"]!.GetValue<string>());
        Assert.Equal(400, problem["status"]!.GetValue<int>());
        Assert.False(string.IsNullOrEmpty(problem["detail"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Every_signed_item_has_its_own_audit_entry_in_item_order_and_a_refused_item_none()
    {
        string[] signedItems = [Transaction, """{"message":"second"}""", """{"message": "third", "index": 2}"""];
        string batch = """{"items": [""" + signedItems[0] + """, {"message": "x", "index": -1}, """ + signedItems[1] + ", " + signedItems[2] + "]}";
        var (status, body, raw) = await SendAsync(_server.SignedPost(BatchPath, batch));
        Assert.True(status == HttpStatusCode.OK, raw);
        Assert.Equal(4, body["results"]!.AsArray().Count);

        var (_, audit, auditRaw) = await SendAsync(Signed(HttpMethod.Get, "/v1/accounts/alice.near/audit?limit=1000", null));
        JsonNode[] signed = audit["entries"]!.AsArray().Select(e => e!["entry"]!).Where(e => e["kind"]!.GetValue<string>() == "signed").ToArray();
        // The payload hash of each entry is SHA-256 of the item's bytes exactly as sent, and the entries follow the items.
        Assert.Equal(
            signedItems.Select(item => Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(item)))),
            signed.Select(e => e["payloadHash"]!.GetValue<string>()));
        long[] sequences = signed.Select(e => e["seq"]!.GetValue<long>()).ToArray();
        Assert.True(sequences.SequenceEqual(sequences.Order()), auditRaw);
        Assert.All(signed, e => Assert.Equal("ethereum", e["chain"]!.GetValue<string>()));
    }

    [Theory]
    [InlineData("""{"items": []}""", "invalid-request")]
    [InlineData("""{"items": {}}""", "invalid-request")]
    [InlineData("""{"items": [{"message": "x"}], "extra": 1}""", "invalid-request")]
    [InlineData("""[{"message": "x"}]""", "invalid-request")]
    [InlineData("""{"items": null}""", "invalid-request")]
    [InlineData("""{"items": [{"message": "x"}]""", "invalid-json")]
    [InlineData("""{"items": [{"message": "x"}], "items": []}""", "invalid-json")]
    public async Task A_malformed_batch_is_refused_whole_and_signs_nothing(string body, string slug)
    {
        var (status, problem, raw) = await SendAsync(_server.SignedPost(BatchPath, body));
        Assert.True(status == HttpStatusCode.BadRequest, raw);
        Assert.Equal("urn:near-tee-keystore:problem:" + slug, problem["type"]!.GetValue<string>());
        Assert.DoesNotContain("signature", raw);
    }

    [Fact]
    public async Task A_batch_over_the_limit_is_refused_and_one_at_the_limit_is_signed()
    {
        string Items(int n) => "{\"items\": [" + string.Join(",", Enumerable.Repeat("""{"message": "x"}""", n)) + "]}";
        var (over, problem, _) = await SendAsync(_server.SignedPost(BatchPath, Items(101)));
        Assert.Equal(HttpStatusCode.BadRequest, over);
        Assert.Equal("urn:near-tee-keystore:problem:invalid-request", problem["type"]!.GetValue<string>());

        var (ok, body, raw) = await SendAsync(_server.SignedPost(BatchPath, Items(100)));
        Assert.True(ok == HttpStatusCode.OK, raw);
        Assert.Equal(100, body["results"]!.AsArray().Count(r => r!["result"]?["signature"] is not null));
    }

    [Fact]
    public async Task A_batch_needs_the_owners_signature_and_a_known_chain()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, BatchPath)
        {
            Content = new StringContent("""{"items": [{"message": "x"}]}""", Encoding.UTF8, "application/json"),
        };
        var (status, problem, _) = await SendAsync(request);
        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Equal("urn:near-tee-keystore:problem:missing-authorization", problem["type"]!.GetValue<string>());

        var (status2, problem2, _) = await SendAsync(_server.SignedPost("/v1/accounts/alice.near/sign-batch/dogecoin", """{"items": [{"message": "x"}]}"""));
        Assert.Equal(HttpStatusCode.BadRequest, status2);
        Assert.Equal("urn:near-tee-keystore:problem:unknown-chain", problem2["type"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_frozen_account_signs_no_item_and_the_refusal_names_the_freeze_rule_and_is_audited()
    {
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(Signed(HttpMethod.Put, "/v1/accounts/alice.near/policy", """{"frozen":true}"""))).Status);
        string batch = """{"items": [{"message": "one"}, {"message": "two"}]}""";
        var (status, body, raw) = await SendAsync(_server.SignedPost(BatchPath, batch));
        Assert.True(status == HttpStatusCode.Forbidden, raw);
        Assert.EndsWith(":policy-denied", body["type"]!.GetValue<string>());
        Assert.Equal("account-freeze", body["rule"]!.GetValue<string>());
        Assert.Null(body["results"]);

        var (_, audit, _) = await SendAsync(Signed(HttpMethod.Get, "/v1/accounts/alice.near/audit?limit=1000", null));
        JsonNode denied = Assert.Single(audit["entries"]!.AsArray(), e => e!["entry"]!["kind"]!.GetValue<string>() == "denied")!["entry"]!;
        Assert.Equal("account-freeze", denied["rule"]!.GetValue<string>());
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(batch))), denied["payloadHash"]!.GetValue<string>());
        Assert.DoesNotContain(audit["entries"]!.AsArray(), e => e!["entry"]!["kind"]!.GetValue<string>() == "signed");
    }

    /// <summary>A request of any method signed by the owner, as a client makes one.</summary>
    private HttpRequestMessage Signed(HttpMethod method, string path, string? body)
    {
        var request = new HttpRequestMessage(method, path);
        if (body is not null) request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        request.Headers.TryAddWithoutValidation("Authorization",
            "NEAR " + KeystoreServer.Credential(method.Method, path, Encoding.UTF8.GetBytes(body ?? ""), KeystoreServer.Owner, _server.OwnerKey));
        return request;
    }
}
