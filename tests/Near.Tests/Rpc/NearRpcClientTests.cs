
using System.Text.Json.Nodes;
using Keystore.Near.Ckd;
using Keystore.Near.Keys;
using Keystore.Near.Rpc;
using Keystore.Near.Tests.Support;
using Keystore.Near.Transactions;
using WireMock.Matchers;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;
using Xunit;

namespace Keystore.Near.Tests.Rpc;

public sealed class NearRpcClientTests : IDisposable
{
    private readonly WireMockServer _a = WireMockServer.Start();
    private readonly WireMockServer _b = WireMockServer.Start();
    private readonly HttpClient _http = new();

    public void Dispose()
    {
        _a.Stop(); _b.Stop(); _http.Dispose();
    }

    // Generous timeout: the machine is shared, and a slow first answer must not turn into a retry.
    private NearRpcClient Client(params WireMockServer[] servers) => Client(TimeSpan.FromSeconds(5), servers);

    private NearRpcClient Client(TimeSpan timeout, params WireMockServer[] servers) => new(_http, new NearRpcOptions
    {
        Endpoints = servers.Select(s => new Uri(s.Url!)).ToList(),
        RequestTimeout = timeout,
        BaseDelay = TimeSpan.FromMilliseconds(5),
        MaxDelay = TimeSpan.FromMilliseconds(20),
        MaxAttempts = 4,
    });

    private static IRequestBuilder Rpc(string method, string? requestType = null) =>
        Request.Create().UsingPost().WithBody(new JsonPartialMatcher(requestType is null
            ? new { method }
            : (object)new { method, @params = new { request_type = requestType } }));

    private static void Stub(WireMockServer s, IRequestBuilder req, string body, int status = 200, string? scenario = null, string? whenState = null, string? nextState = null, TimeSpan? delay = null)
    {
        var builder = s.Given(req);
        if (scenario is not null)
        {
            // WireMock.Net scenarios start in no state: the first step has no WhenStateIs.
            builder = whenState is null or "Started" ? builder.InScenario(scenario) : builder.InScenario(scenario).WhenStateIs(whenState);
            if (nextState is not null) builder = builder.WillSetStateTo(nextState);
        }
        var response = Response.Create().WithStatusCode(status).WithHeader("Content-Type", "application/json").WithBody(body);
        if (delay is not null) response = response.WithDelay(delay.Value);
        builder.RespondWith(response);
    }

    private static int Calls(WireMockServer s, string method) =>
        s.LogEntries.Count(e => e.RequestMessage.Body?.Contains($"\"method\":\"{method}\"") == true);

    [Fact]
    public async Task View_account_parses_near_shape()
    {
        Stub(_a, Rpc("query", "view_account"), NearResponses.ViewAccount);
        var view = await Client(_a).ViewAccountAsync("alice.near");
        Assert.Equal(UInt128.Parse("399992611103597728750000000"), view.Amount);
        Assert.Equal(642UL, view.StorageUsage);
        var body = JsonNode.Parse(_a.LogEntries.Single().RequestMessage.Body!)!;
        Assert.Equal("2.0", (string)body["jsonrpc"]!);
        Assert.Equal("final", (string)body["params"]!["finality"]!);
        Assert.Equal("alice.near", (string)body["params"]!["account_id"]!);
    }

    [Fact]
    public async Task Unknown_account_is_typed_and_not_retried()
    {
        Stub(_a, Rpc("query", "view_account"), NearResponses.UnknownAccount("ghost.near"));
        var e = await Assert.ThrowsAsync<UnknownAccountException>(() => Client(_a, _b).ViewAccountAsync("ghost.near"));
        Assert.Equal("ghost.near", e.AccountId);
        Assert.Single(_a.LogEntries);
        Assert.Empty(_b.LogEntries);
    }

    [Fact]
    public async Task Server_error_is_retried_then_succeeds()
    {
        Stub(_a, Rpc("block"), "{}", 503, "s", "Started", "ok");
        Stub(_a, Rpc("block"), NearResponses.Block, 200, "s", "ok");
        var block = await Client(_a).GetFinalBlockAsync();
        Assert.Equal(NearResponses.BlockHash, block.Hash);
        Assert.Equal(17821130UL, block.Height);
        Assert.Equal(2, Calls(_a, "block"));
    }

    [Fact]
    public async Task Fails_over_to_second_endpoint()
    {
        Stub(_a, Rpc("block"), "upstream down", 502);
        Stub(_b, Rpc("block"), NearResponses.Block);
        var client = Client(_a, _b);
        Assert.Equal(NearResponses.BlockHash, (await client.GetFinalBlockAsync()).Hash);
        Assert.Equal(1, Calls(_a, "block"));
        // The healthy endpoint is remembered: the next call goes straight to it.
        await client.GetFinalBlockAsync();
        Assert.Equal(1, Calls(_a, "block"));
        Assert.Equal(2, Calls(_b, "block"));
    }

    [Fact]
    public async Task Unreachable_endpoint_fails_over()
    {
        var dead = new Uri("http://127.0.0.1:1/");
        Stub(_b, Rpc("block"), NearResponses.Block);
        var client = new NearRpcClient(_http, new NearRpcOptions { Endpoints = [dead, new Uri(_b.Url!)], BaseDelay = TimeSpan.FromMilliseconds(1) });
        Assert.Equal(NearResponses.BlockHash, (await client.GetFinalBlockAsync()).Hash);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Node_timeout_errors_are_retried(bool structured)
    {
        Stub(_a, Rpc("block"), structured ? NearResponses.TimeoutError : NearResponses.LegacyTimeout, 200, "t", "Started", "ok");
        Stub(_a, Rpc("block"), NearResponses.Block, 200, "t", "ok");
        Assert.Equal(NearResponses.BlockHash, (await Client(_a).GetFinalBlockAsync()).Hash);
        Assert.Equal(2, Calls(_a, "block"));
    }

    [Fact]
    public async Task Per_request_timeout_then_failover()
    {
        Stub(_a, Rpc("block"), NearResponses.Block, delay: TimeSpan.FromSeconds(8));
        Stub(_b, Rpc("block"), NearResponses.Block);
        var sw = System.Diagnostics.Stopwatch.StartNew();
        Assert.Equal(NearResponses.BlockHash, (await Client(TimeSpan.FromSeconds(1), _a, _b).GetFinalBlockAsync()).Hash);
        Assert.True(sw.Elapsed < TimeSpan.FromSeconds(6), $"took {sw.Elapsed}");
        Assert.Equal(1, Calls(_b, "block"));
    }

    [Fact]
    public async Task Gives_up_with_transport_exception_after_max_attempts()
    {
        Stub(_a, Rpc("block"), "", 500);
        Stub(_b, Rpc("block"), "", 503);
        var e = await Assert.ThrowsAsync<NearTransportException>(() => Client(_a, _b).GetFinalBlockAsync());
        Assert.IsType<HttpRequestException>(e.InnerException);
        Assert.Equal(4, Calls(_a, "block") + Calls(_b, "block"));
    }

    [Fact]
    public async Task Call_function_returns_result_bytes_and_mpc_key_source_parses_g2()
    {
        var sim = MpcSimulator.FromHex("1ee0729668b57795835ac73858caaea42fe55bffaff87858c8660e25e9aa82f9");
        var json = System.Text.Encoding.UTF8.GetBytes("\"" + BlsKeyText.Encode(sim.PublicKey) + "\"");
        Stub(_a, Rpc("query", "call_function"), NearResponses.CallFunction(json));
        var key = await new NearRpcMpcPublicKeySource(Client(_a), "v1.signer").GetPublicKeyAsync(default);
        Assert.Equal(sim.PublicKey, key);
        var p = JsonNode.Parse(_a.LogEntries.Single().RequestMessage.Body!)!["params"]!;
        Assert.Equal("public_key", (string)p["method_name"]!);
        Assert.Equal("{\"domain_id\":2}", System.Text.Encoding.UTF8.GetString(Convert.FromBase64String((string)p["args_base64"]!)));
    }

    [Fact]
    public async Task Unknown_access_key_query_is_typed()
    {
        using var key = Ed25519KeyPair.Generate();
        Stub(_a, Rpc("query", "view_access_key"), NearResponses.Error("UNKNOWN_ACCESS_KEY",
            $$"""{"public_key":"{{key.PublicKey}}","block_height":1,"block_hash":"{{NearResponses.BlockHash}}"}""", "\"access key does not exist while viewing\""));
        var e = await Assert.ThrowsAsync<AccessKeyNotFoundException>(() => Client(_a).ViewAccessKeyAsync("worker.near", key.PublicKey));
        Assert.Equal(key.PublicKey.ToString(), e.PublicKey);
        Assert.Equal("worker.near", e.AccountId);
    }

    [Fact]
    public async Task View_call_contract_errors_are_definite()
    {
        // Older nodes put the contract error inside a successful result; newer ones use CONTRACT_EXECUTION_ERROR.
        Stub(_a, Rpc("query", "call_function"), NearResponses.Result("""{"error":"wasm execution failed with error: FunctionCallError(MethodResolveError(MethodNotFound))","logs":[],"block_height":1,"block_hash":"x"}"""));
        var e = await Assert.ThrowsAsync<NearRpcException>(() => Client(_a).CallFunctionAsync("v1.signer", "nope", "{}"));
        Assert.Contains("MethodNotFound", e.Message);
        Stub(_b, Rpc("query", "call_function"), NearResponses.Error("CONTRACT_EXECUTION_ERROR",
            """{"vm_error":"wasm execution failed with error: FunctionCallError(HostError(GuestPanic { panic_msg: \"bad domain\" }))","block_height":1,"block_hash":"x"}""", "\"bad domain\""));
        var e2 = await Assert.ThrowsAsync<NearRpcException>(() => Client(_b).CallFunctionAsync("v1.signer", "public_key", "{}"));
        Assert.Equal("CONTRACT_EXECUTION_ERROR", e2.CauseName);
        Assert.Contains("bad domain", e2.Message);
        Assert.Single(_a.LogEntries);
        Assert.Single(_b.LogEntries);
    }

    [Fact]
    public async Task View_access_key_list_reads_full_access_and_function_call_permissions()
    {
        using var k1 = Ed25519KeyPair.Generate();
        using var k2 = Ed25519KeyPair.Generate();
        using var k3 = Ed25519KeyPair.Generate();
        Stub(_a, Rpc("query", "view_access_key_list"), NearResponses.AccessKeyList(k1.PublicKey.ToString(), k2.PublicKey.ToString(), k3.PublicKey.ToString()));

        var list = await Client(_a).ViewAccessKeyListAsync("alice.near");
        Assert.Equal([k1.PublicKey.ToString(), k2.PublicKey.ToString()], list.Where(k => k.IsFullAccess).Select(k => k.PublicKey));
        var fc = Assert.IsType<FunctionCallPermission>(list[1].Permission);
        Assert.Equal("tee-dao.near", fc.ReceiverId);
        Assert.Equal(["request_master_secret"], fc.MethodNames);
    }

    [Fact]
    public async Task An_unknown_access_key_permission_is_refused_without_quoting_the_endpoints_text()
    {
        // The message travels on (to /v1/ready, logs, an owner's 503): an endpoint must not be able to put its own text there.
        using var key = Ed25519KeyPair.Generate();
        string planted = string.Concat(Enumerable.Repeat("PLANTED-BY-THE-ENDPOINT ", 4000));
        Stub(_a, Rpc("query", "view_access_key_list"), NearResponses.Result($$$$"""
            {"keys":[{"public_key":"{{{{key.PublicKey}}}}","access_key":{"nonce":1,"permission":{"Weird":"{{{{planted}}}}"}}}],"block_height":7,"block_hash":"{{{{NearResponses.BlockHash}}}}"}
            """));

        var ex = await Assert.ThrowsAnyAsync<NearRpcException>(() => Client(_a).ViewAccessKeyListAsync("alice.near"));

        Assert.DoesNotContain("PLANTED", ex.Message, StringComparison.Ordinal);
        Assert.True(ex.Message.Length < 300, ex.Message);
    }

    [Fact]
    public async Task An_endpoints_error_text_is_quoted_only_up_to_a_bound()
    {
        string huge = new('x', 100_000);
        Stub(_a, Rpc("query", "view_access_key_list"), $$$$"""{"jsonrpc":"2.0","id":"dontcare","error":{"name":"HANDLER_ERROR","cause":{"name":"SOMETHING_NEW","info":{"text":"{{{{huge}}}}"}},"message":"{{{{huge}}}}"}}""");

        var ex = await Assert.ThrowsAnyAsync<NearRpcException>(() => Client(_a).ViewAccessKeyListAsync("alice.near"));

        Assert.Contains("SOMETHING_NEW", ex.Message, StringComparison.Ordinal);
        Assert.True(ex.Message.Length < 700, $"{ex.Message.Length} characters");
    }

    private static ulong SentNonce(LogEntryWrapper entry) =>
        SignedTransaction.FromBorsh(Convert.FromBase64String((string)JsonNode.Parse(entry.Body)!["params"]!["signed_tx_base64"]!)).Transaction.Nonce;

    private sealed record LogEntryWrapper(string Body);

    private List<LogEntryWrapper> SendTxBodies(WireMockServer s) =>
        s.LogEntries.Where(e => e.RequestMessage.Body?.Contains("\"method\":\"send_tx\"") == true)
            .OrderBy(e => e.RequestMessage.DateTime).Select(e => new LogEntryWrapper(e.RequestMessage.Body!)).ToList();

    [Fact]
    public async Task Sender_resyncs_on_invalid_nonce_then_succeeds()
    {
        using var key = Ed25519KeyPair.Generate();
        Stub(_a, Rpc("query", "view_access_key"), NearResponses.ViewAccessKey(10));
        Stub(_a, Rpc("block"), NearResponses.Block);
        Stub(_a, Rpc("send_tx"), NearResponses.InvalidNonce(11, 20), 200, "n", "Started", "ok");
        var value = Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes("{\"big_y\":\"y\",\"big_c\":\"c\"}"));
        Stub(_a, Rpc("send_tx"), NearResponses.FinalOutcome("HASH", $$"""{"SuccessValue":"{{value}}"}"""), 200, "n", "ok");

        var sender = new TransactionSender(Client(_a), "worker.near", key);
        var outcome = await sender.FunctionCallAsync("tee-dao.near", "request_master_secret", "{}", 30_000_000_000_000, 1);
        Assert.True(outcome.IsSuccess);
        Assert.Equal("y", (string)outcome.SuccessValueJson()!["big_y"]!);
        var sent = SendTxBodies(_a);
        Assert.Equal([11UL, 21UL], sent.Select(SentNonce));
        var tx = SignedTransaction.FromBorsh(Convert.FromBase64String((string)JsonNode.Parse(sent[1].Body)!["params"]!["signed_tx_base64"]!));
        Assert.True(tx.VerifySignature());
        Assert.Equal(Keystore.Near.Encoding.Base58.Decode(NearResponses.BlockHash), tx.Transaction.BlockHash);
        Assert.Equal("FINAL", (string)JsonNode.Parse(sent[1].Body)!["params"]!["wait_until"]!);
        Assert.Equal(1, Calls(_a, "query")); // nonce fetched once, then managed locally
    }

    [Fact]
    public async Task Contract_panic_is_a_definite_failure_with_its_message()
    {
        using var key = Ed25519KeyPair.Generate();
        Stub(_a, Rpc("query", "view_access_key"), NearResponses.ViewAccessKey(1));
        Stub(_a, Rpc("block"), NearResponses.Block);
        Stub(_a, Rpc("send_tx"), NearResponses.FinalOutcome("HASH2",
            """{"Failure":{"ActionError":{"index":0,"kind":{"FunctionCallError":{"ExecutionError":"Smart contract panicked: worker not registered"}}}}}"""));
        var sender = new TransactionSender(Client(_a), "worker.near", key);
        var e = await Assert.ThrowsAsync<TransactionFailedException>(() => sender.FunctionCallAsync("tee-dao.near", "request_master_secret", "{}", 30_000_000_000_000, 1));
        Assert.Equal("Smart contract panicked: worker not registered", e.FailureMessage);
        Assert.Equal("HASH2", e.TransactionHash);
        Assert.Equal(1, Calls(_a, "send_tx"));
    }

    [Fact]
    public async Task Invalid_signature_and_access_key_not_found_are_typed()
    {
        using var key = Ed25519KeyPair.Generate();
        var tx = new Transaction("worker.near", key.PublicKey, 5, "tee-dao.near", new byte[32], [new TransferAction(1)]).Sign(key);
        Stub(_a, Rpc("send_tx"), NearResponses.InvalidSignature);
        await Assert.ThrowsAsync<InvalidSignatureException>(() => Client(_a).SendTransactionAsync(tx));
        Stub(_b, Rpc("send_tx"), NearResponses.AccessKeyNotFound("worker.near", key.PublicKey.ToString()));
        var e = await Assert.ThrowsAsync<AccessKeyNotFoundException>(() => Client(_b).SendTransactionAsync(tx));
        Assert.Equal(key.PublicKey.ToString(), e.PublicKey);
        Assert.Equal(1, Calls(_a, "send_tx"));
        Assert.Equal(1, Calls(_b, "send_tx"));
    }

    [Fact]
    public async Task Broadcast_tx_commit_and_tx_status()
    {
        using var key = Ed25519KeyPair.Generate();
        var tx = new Transaction("worker.near", key.PublicKey, 5, "tee-dao.near", new byte[32], [new TransferAction(1)]).Sign(key);
        Stub(_a, Rpc("broadcast_tx_commit"), NearResponses.FinalOutcome("H3", """{"SuccessValue":""}"""));
        Stub(_a, Rpc("tx"), NearResponses.FinalOutcome("H3", """{"SuccessValue":"dHJ1ZQ=="}"""));
        var outcome = await Client(_a).BroadcastTxCommitAsync(tx);
        Assert.True(outcome.IsSuccess);
        Assert.Null(outcome.SuccessValueJson());
        var body = JsonNode.Parse(_a.LogEntries.First().RequestMessage.Body!)!;
        Assert.Equal(tx.ToBase64(), (string)body["params"]![0]!);
        var status = await Client(_a).TransactionStatusAsync("H3", "worker.near");
        Assert.True((bool)status.SuccessValueJson()!);
        Assert.Equal("FINAL", status.FinalExecutionStatus);
    }
}

public sealed class NearCkdTransportTests : IDisposable
{
    private readonly WireMockServer _server = WireMockServer.Start();
    private readonly HttpClient _http = new();

    public void Dispose()
    {
        _server.Stop(); _http.Dispose();
    }

    [Fact]
    public async Task End_to_end_ckd_through_near_rpc_with_simulated_mpc()
    {
        // The "chain" answers request_master_secret with what the MPC simulator would return to tee-dao.near.
        var sim = MpcSimulator.FromHex("13e0c575c3ac888bf8815e0ed50166ed3560ffbe9fcf5917551d3bd56be291f8");
        using var key = Ed25519KeyPair.Generate();
        _server.Given(Request.Create().UsingPost().WithBody(new JsonPartialMatcher(new { method = "query", @params = new { request_type = "view_access_key" } })))
            .RespondWith(Response.Create().WithBody(NearResponses.ViewAccessKey(3)));
        _server.Given(Request.Create().UsingPost().WithBody(new JsonPartialMatcher(new { method = "block" })))
            .RespondWith(Response.Create().WithBody(NearResponses.Block));
        _server.Given(Request.Create().UsingPost().WithBody(new JsonPartialMatcher(new { method = "send_tx" })))
            .RespondWith(Response.Create().WithCallback(req =>
            {
                var signed = SignedTransaction.FromBorsh(Convert.FromBase64String((string)JsonNode.Parse(req.Body!)!["params"]!["signed_tx_base64"]!));
                var call = Assert.IsType<FunctionCallAction>(signed.Transaction.Actions.Single());
                var appKey = BlsKeyText.ParseG1((string)JsonNode.Parse(call.Args)!["app_public_key"]!);
                var answer = sim.RequestAppPrivateKey("tee-dao.near", "keystore", appKey).ToJson();
                var b64 = Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(answer));
                return new WireMock.ResponseMessage
                {
                    StatusCode = 200,
                    BodyData = new WireMock.Util.BodyData { BodyAsString = NearResponses.FinalOutcome("H", $$"""{"SuccessValue":"{{b64}}"}"""), DetectedBodyType = WireMock.Types.BodyType.String },
                };
            }));
        var rpc = new NearRpcClient(_http, new NearRpcOptions { Endpoints = [new Uri(_server.Url!)] });
        var transport = new NearCkdTransport(new TransactionSender(rpc, "worker.tee-dao.near", key), "tee-dao.near");
        using var secret = await new CkdClient(transport, sim, "tee-dao.near", "keystore").DeriveSecretAsync();
        using var again = await new CkdClient(new SimulatedCkdTransport(sim, "tee-dao.near", "keystore"), sim, "tee-dao.near", "keystore").DeriveSecretAsync();
        Assert.Equal(again.Span.ToArray(), secret.Span.ToArray());
    }
}
