using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Keystore.Near.Encoding;
using Keystore.Near.Keys;
using Keystore.Near.Transactions;
using Xunit;

namespace Keystore.LocalNear.Tests.Rpc;

/// <summary>The wire protocol on raw HTTP: request validation, the legacy parameter forms, and error bodies.</summary>
public sealed class RpcProtocolTests
{
    private static async Task<JsonObject> PostAsync(LocalChainHost t, string body)
    {
        using var http = new HttpClient();
        using var response = await http.PostAsync(t.Url, new StringContent(body, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
    }

    private static Task<JsonObject> CallAsync(LocalChainHost t, string method, JsonNode? parameters) =>
        PostAsync(t, new JsonObject { ["jsonrpc"] = "2.0", ["id"] = "dontcare", ["method"] = method, ["params"] = parameters }.ToJsonString());

    private static string Cause(JsonObject response) => response["error"]!["cause"]!["name"]!.GetValue<string>();

    [Fact]
    public async Task Malformed_requests_are_parse_errors()
    {
        await using var t = await LocalChainHost.StartAsync();
        var invalidJson = await PostAsync(t, "{not json");
        Assert.Equal("REQUEST_VALIDATION_ERROR", invalidJson["error"]!["name"]!.GetValue<string>());
        Assert.Equal("PARSE_ERROR", Cause(invalidJson));
        Assert.Equal(-32700, invalidJson["error"]!["code"]!.GetValue<int>());
        Assert.Null(invalidJson["id"]);

        var noMethod = await PostAsync(t, """{"jsonrpc":"2.0","id":7,"params":[]}""");
        Assert.Equal("PARSE_ERROR", Cause(noMethod));
        Assert.Equal(7, noMethod["id"]!.GetValue<int>());

        var unknown = await CallAsync(t, "chunk_me", new JsonArray());
        Assert.Equal("METHOD_NOT_FOUND", Cause(unknown));
        Assert.Equal("chunk_me", unknown["error"]!["cause"]!["info"]!["method_name"]!.GetValue<string>());
        Assert.Equal(-32601, unknown["error"]!["code"]!.GetValue<int>());

        Assert.Equal("PARSE_ERROR", Cause(await CallAsync(t, "query", new JsonObject { ["request_type"] = "view_account", ["finality"] = "final" })));
        Assert.Equal("PARSE_ERROR", Cause(await CallAsync(t, "query", new JsonObject { ["request_type"] = "view_account", ["finality"] = "soon", ["account_id"] = "test.near" })));
        Assert.Equal("PARSE_ERROR", Cause(await CallAsync(t, "query", new JsonObject { ["request_type"] = "view_global_contract_code", ["finality"] = "final", ["account_id"] = "test.near" })));
        Assert.Equal("PARSE_ERROR", Cause(await CallAsync(t, "send_tx", new JsonObject { ["signed_tx_base64"] = "not base64!", ["wait_until"] = "FINAL" })));
    }

    [Fact]
    public async Task Failed_view_calls_carry_the_engines_structured_function_call_error()
    {
        await using var t = await LocalChainHost.StartAsync();
        await t.Sender("chain-keys.test.near").SendAsync("chain-keys.test.near",
            [new Keystore.Near.Transactions.DeployContractAction(File.ReadAllBytes(RepoPaths.ContractWasm("chain_keys")))]);
        Task<JsonObject> View(string account, string method, string args) => CallAsync(t, "query", new JsonObject
        {
            ["request_type"] = "call_function", ["finality"] = "final", ["account_id"] = account, ["method_name"] = method,
            ["args_base64"] = Convert.ToBase64String(Encoding.UTF8.GetBytes(args)),
        });

        var missing = await View("chain-keys.test.near", "no_such_view", "{}");
        Assert.Equal("CONTRACT_EXECUTION_ERROR", Cause(missing));
        var info = missing["error"]!["cause"]!["info"]!;
        Assert.Equal("""{"MethodResolveError":"MethodNotFound"}""", info["error"]!.ToJsonString());
        Assert.Equal("wasm execution failed with error: MethodResolveError(MethodNotFound)", info["vm_error"]!.GetValue<string>());

        // Uninitialised contract: near-sdk panics; the structured error is the engine's ExecutionError text.
        var panic = await View("chain-keys.test.near", "get_config", "{}");
        var panicInfo = panic["error"]!["cause"]!["info"]!;
        string executionError = panicInfo["error"]!["ExecutionError"]!.GetValue<string>();
        Assert.StartsWith("Smart contract panicked: ", executionError, StringComparison.Ordinal);
        Assert.Equal("wasm execution failed with error: " + executionError, panicInfo["vm_error"]!.GetValue<string>());

        // A native contract's panic is an ExecutionError too.
        var native = await View("v1.signer.test.near", "public_key", """{"domain_id":0}""");
        Assert.StartsWith("Smart contract panicked: domain 0 is not served",
            native["error"]!["cause"]!["info"]!["error"]!["ExecutionError"]!.GetValue<string>(), StringComparison.Ordinal);

        Assert.Equal("NO_CONTRACT_CODE", Cause(await View("bob.test.near", "anything", "{}")));
    }

    [Fact]
    public void Contract_execution_errors_use_the_structured_error_and_fall_back_to_execution_error_only_without_one()
    {
        var block = new Keystore.LocalNear.Chain.BlockView(7, new byte[32], new byte[32], 0, 100_000_000, []);
        var structured = new Keystore.LocalNear.Chain.ChainQueryException(Keystore.LocalNear.Chain.QueryErrorKind.ContractExecutionError,
            "wasm execution failed with error: MethodResolveError(MethodNotFound)", new JsonObject { ["MethodResolveError"] = new JsonObject { ["MethodNotFound"] = null } });
        var info = Keystore.LocalNear.Rpc.RpcErrors.Query(structured, "c.near", null, block).Error["cause"]!["info"]!;
        // Unit variants are written as bare strings, as serde does.
        Assert.Equal("""{"MethodResolveError":"MethodNotFound"}""", info["error"]!.ToJsonString());
        Assert.Equal(7UL, info["block_height"]!.GetValue<ulong>());

        var textOnly = new Keystore.LocalNear.Chain.ChainQueryException(Keystore.LocalNear.Chain.QueryErrorKind.ContractExecutionError,
            "wasm execution failed with error: Smart contract panicked: x");
        Assert.Equal("Smart contract panicked: x",
            Keystore.LocalNear.Rpc.RpcErrors.Query(textOnly, "c.near", null, block).Error["cause"]!["info"]!["error"]!["ExecutionError"]!.GetValue<string>());
    }

    [Fact]
    public async Task Legacy_query_paths_and_block_references_are_answered()
    {
        await using var t = await LocalChainHost.StartAsync();
        var key = t.Host.Keys["test.near"].PublicKey.ToString();
        var account = await CallAsync(t, "query", new JsonArray("account/test.near", ""));
        Assert.Equal((LocalChainHost.OneNear * 1_000_000_000).ToString(), account["result"]!["amount"]!.GetValue<string>());
        var accessKey = await CallAsync(t, "query", new JsonArray($"access_key/test.near/{key}", ""));
        Assert.Equal("FullAccess", accessKey["result"]!["permission"]!.GetValue<string>());
        var keys = await CallAsync(t, "query", new JsonArray("access_key/test.near", ""));
        Assert.Equal(key, keys["result"]!["keys"]![0]!["public_key"]!.GetValue<string>());
        var view = await CallAsync(t, "query", new JsonArray("call/v1.signer.test.near/public_key", Base58.Encode("""{"domain_id":2}"""u8)));
        var bytes = view["result"]!["result"]!.AsArray().Select(b => (byte)b!.GetValue<int>()).ToArray();
        Assert.StartsWith("\"bls12381g2:", Encoding.UTF8.GetString(bytes), StringComparison.Ordinal);
        // code/<account> is the legacy view_code; the genesis accounts have no wasm (the signer is native).
        Assert.Equal("NO_CONTRACT_CODE", Cause(await CallAsync(t, "query", new JsonArray("code/v1.signer.test.near", ""))));

        // A query at an older block or the genesis checkpoint is answered; an unknown block is UNKNOWN_BLOCK.
        var genesis = await CallAsync(t, "block", new JsonObject { ["sync_checkpoint"] = "genesis" });
        var atGenesis = await CallAsync(t, "query", new JsonObject
        {
            ["request_type"] = "view_account", ["account_id"] = "test.near", ["block_id"] = genesis["result"]!["header"]!["hash"]!.GetValue<string>(),
        });
        Assert.NotNull(atGenesis["result"]);
        var unknownBlock = await CallAsync(t, "query", new JsonObject { ["request_type"] = "view_account", ["account_id"] = "test.near", ["block_id"] = 424242 });
        Assert.Equal("UNKNOWN_BLOCK", Cause(unknownBlock));

        var protocol = await CallAsync(t, "EXPERIMENTAL_protocol_config", new JsonObject { ["finality"] = "final" });
        Assert.Equal("10000000000000000000", protocol["result"]!["runtime_config"]!["storage_amount_per_byte"]!.GetValue<string>());
        Assert.Null((await CallAsync(t, "health", new JsonArray()))["result"]);
    }

    [Fact]
    public async Task Invalid_transactions_carry_the_tx_execution_error_in_data_and_info()
    {
        await using var t = await LocalChainHost.StartAsync();
        var key = t.Host.Keys["test.near"];
        var block = Base58.Decode((await t.Rpc.GetFinalBlockAsync()).Hash);
        ulong nonce = (await t.Rpc.ViewAccessKeyAsync("test.near", key.PublicKey)).Nonce + 1;

        // A signature over another transaction: InvalidSignature, a unit variant serialised as a bare string.
        var signed = new Transaction("test.near", key.PublicKey, nonce, "bob.test.near", block, [new TransferAction(1)]).Sign(key);
        var tampered = new SignedTransaction(signed.Transaction with { Actions = [new TransferAction(2)] }, signed.Signature);
        var badSignature = await CallAsync(t, "send_tx", new JsonObject { ["signed_tx_base64"] = tampered.ToBase64(), ["wait_until"] = "FINAL" });
        Assert.Equal("HANDLER_ERROR", badSignature["error"]!["name"]!.GetValue<string>());
        Assert.Equal("INVALID_TRANSACTION", Cause(badSignature));
        Assert.Equal(-32000, badSignature["error"]!["code"]!.GetValue<int>());
        Assert.Equal("Server error", badSignature["error"]!["message"]!.GetValue<string>());
        Assert.Equal("InvalidSignature", badSignature["error"]!["data"]!["TxExecutionError"]!["InvalidTxError"]!.GetValue<string>());
        Assert.Equal("InvalidSignature", badSignature["error"]!["cause"]!["info"]!["TxExecutionError"]!["InvalidTxError"]!.GetValue<string>());

        // An unknown key: InvalidAccessKeyError.AccessKeyNotFound.
        using var stranger = Ed25519KeyPair.Generate();
        var unknownKey = new Transaction("test.near", stranger.PublicKey, 1, "bob.test.near", block, [new TransferAction(1)]).Sign(stranger);
        var notFound = await CallAsync(t, "broadcast_tx_commit", new JsonArray(unknownKey.ToBase64()));
        var akn = notFound["error"]!["data"]!["TxExecutionError"]!["InvalidTxError"]!["InvalidAccessKeyError"]!["AccessKeyNotFound"]!;
        Assert.Equal("test.near", akn["account_id"]!.GetValue<string>());
        Assert.Equal(stranger.PublicKey.ToString(), akn["public_key"]!.GetValue<string>());

        // A rejected async broadcast never becomes a transaction.
        var asyncHash = await CallAsync(t, "broadcast_tx_async", new JsonArray(tampered.ToBase64()));
        Assert.Equal(tampered.HashBase58, asyncHash["result"]!.GetValue<string>());
        var status = await CallAsync(t, "tx", new JsonObject { ["tx_hash"] = tampered.HashBase58, ["sender_account_id"] = "test.near" });
        Assert.Contains(Cause(status), new[] { "UNKNOWN_TRANSACTION", "INVALID_TRANSACTION" });

        // Resubmitting an executed transaction returns its outcome instead of executing it again.
        var first = await CallAsync(t, "send_tx", new JsonObject { ["signed_tx_base64"] = signed.ToBase64() });
        var again = await CallAsync(t, "send_tx", new JsonObject { ["signed_tx_base64"] = signed.ToBase64() });
        Assert.Equal(first["result"]!.ToJsonString(), again["result"]!.ToJsonString());
    }

    [Fact]
    public async Task Http_status_and_health_endpoints()
    {
        await using var t = await LocalChainHost.StartAsync();
        using var http = new HttpClient();
        var status = JsonNode.Parse(await http.GetStringAsync(new Uri(t.Url, "/status")))!;
        Assert.Equal("localnet", status["chain_id"]!.GetValue<string>());
        Assert.False(status["sync_info"]!["syncing"]!.GetValue<bool>());
        using var health = await http.GetAsync(new Uri(t.Url, "/health"));
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);

        // A browser's CORS preflight from a dApp origin is allowed.
        using var preflight = new HttpRequestMessage(HttpMethod.Options, t.Url);
        preflight.Headers.Add("Origin", "http://localhost:5173");
        preflight.Headers.Add("Access-Control-Request-Method", "POST");
        preflight.Headers.Add("Access-Control-Request-Headers", "content-type");
        using var allowed = await http.SendAsync(preflight);
        Assert.True(allowed.IsSuccessStatusCode);
        Assert.Equal("*", Assert.Single(allowed.Headers.GetValues("Access-Control-Allow-Origin")));
    }

    [Fact]
    public async Task Oversized_bodies_are_refused_before_being_read()
    {
        await using var t = await LocalChainHost.StartAsync();
        // Only the headers: the declared length alone (over the 10 MiB limit) gets the request refused.
        using var client = new System.Net.Sockets.TcpClient();
        await client.ConnectAsync(t.Url.Host, t.Url.Port);
        using var stream = client.GetStream();
        string head = $"POST / HTTP/1.1\r\nHost: {t.Url.Authority}\r\nContent-Type: application/json\r\nContent-Length: {11 * 1024 * 1024}\r\n\r\n";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head));
        using var reader = new StreamReader(stream, Encoding.UTF8);
        string response = await reader.ReadToEndAsync().WaitAsync(TimeSpan.FromSeconds(30));
        Assert.StartsWith("HTTP/1.1 ", response, StringComparison.Ordinal);
        Assert.Contains("PARSE_ERROR", response, StringComparison.Ordinal);
    }
}
