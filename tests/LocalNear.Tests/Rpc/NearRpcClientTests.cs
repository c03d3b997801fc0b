using System.Text.Json.Nodes;
using Keystore.Near.Ckd;
using Keystore.Near.Encoding;
using Keystore.Near.Keys;
using Keystore.Near.Rpc;
using Keystore.Near.Transactions;
using Xunit;

namespace Keystore.LocalNear.Tests.Rpc;

/// <summary>Our own NEAR client (<see cref="NearRpcClient"/>, <see cref="TransactionSender"/>) against the local chain's RPC.</summary>
public sealed class NearRpcClientTests
{
    private static readonly UInt128 OneNear = LocalChainHost.OneNear;
    private const ulong Tgas = LocalChainHost.Tgas;

    [Fact]
    public async Task View_account_reports_genesis_balance_and_unknown_account_is_typed()
    {
        await using var t = await LocalChainHost.StartAsync();
        var view = await t.Rpc.ViewAccountAsync("test.near");
        Assert.Equal(OneNear * 1_000_000_000, view.Amount);
        Assert.Equal(UInt128.Zero, view.Locked);
        Assert.Equal("11111111111111111111111111111111", view.CodeHash);
        Assert.Equal(t.Host.Chain.LatestBlock.Height, view.BlockHeight);
        Assert.Equal(Base58.Encode(t.Host.Chain.LatestBlock.Hash), view.BlockHash);

        var e = await Assert.ThrowsAsync<UnknownAccountException>(() => t.Rpc.ViewAccountAsync("nobody.test.near"));
        Assert.Equal("nobody.test.near", e.AccountId);
    }

    [Fact]
    public async Task Access_keys_view_and_list_and_unknown_key_is_typed()
    {
        await using var t = await LocalChainHost.StartAsync();
        var key = t.Host.Keys["alice.test.near"].PublicKey;
        var view = await t.Rpc.ViewAccessKeyAsync("alice.test.near", key);
        Assert.True(view.IsFullAccess);
        Assert.Equal(key.ToString(), view.PublicKey);

        var list = await t.Rpc.ViewAccessKeyListAsync("alice.test.near");
        var only = Assert.Single(list);
        Assert.Equal(key.ToString(), only.PublicKey);
        Assert.True(only.IsFullAccess);

        using var stranger = Ed25519KeyPair.Generate();
        var e = await Assert.ThrowsAsync<AccessKeyNotFoundException>(() => t.Rpc.ViewAccessKeyAsync("alice.test.near", stranger.PublicKey));
        Assert.Equal(stranger.PublicKey.ToString(), e.PublicKey);
    }

    [Fact]
    public async Task Transfer_moves_balance_and_tx_status_returns_the_same_outcome()
    {
        await using var t = await LocalChainHost.StartAsync();
        var before = (await t.Rpc.ViewAccountAsync("bob.test.near")).Amount;

        var outcome = await t.Sender("test.near").SendAsync("bob.test.near", [new TransferAction(OneNear * 5)]);

        Assert.True(outcome.IsSuccess);
        Assert.Equal("FINAL", outcome.FinalExecutionStatus);
        Assert.Equal(before + OneNear * 5, (await t.Rpc.ViewAccountAsync("bob.test.near")).Amount);
        var tx = outcome.Raw["transaction"]!;
        Assert.Equal("test.near", tx["signer_id"]!.GetValue<string>());
        Assert.Equal((OneNear * 5).ToString(), tx["actions"]![0]!["Transfer"]!["deposit"]!.GetValue<string>());
        Assert.Equal(outcome.TransactionHash, outcome.Raw["transaction_outcome"]!["id"]!.GetValue<string>());
        var receipt = Assert.Single(outcome.Raw["receipts_outcome"]!.AsArray(), r => r!["outcome"]!["executor_id"]!.GetValue<string>() == "bob.test.near");
        Assert.Equal(1, receipt!["outcome"]!["metadata"]!["version"]!.GetValue<int>());

        var status = await t.Rpc.TransactionStatusAsync(outcome.TransactionHash, "test.near");
        Assert.True(status.IsSuccess);
        Assert.Equal(outcome.TransactionHash, status.TransactionHash);
        Assert.Equal(outcome.Raw.ToJsonString(), status.Raw.ToJsonString());
    }

    [Fact]
    public async Task Add_key_with_function_call_permission_is_visible_with_its_permission()
    {
        await using var t = await LocalChainHost.StartAsync();
        using var appKey = Ed25519KeyPair.Generate();
        var permission = AccessKey.FunctionCall("chain-keys.test.near", ["count", "get_config"], OneNear / 4);

        var outcome = await t.Sender("alice.test.near").SendAsync("alice.test.near", [new AddKeyAction(appKey.PublicKey, permission)]);

        var addKey = outcome.Raw["transaction"]!["actions"]![0]!["AddKey"]!;
        Assert.Equal(appKey.PublicKey.ToString(), addKey["public_key"]!.GetValue<string>());
        Assert.Equal("chain-keys.test.near", addKey["access_key"]!["permission"]!["FunctionCall"]!["receiver_id"]!.GetValue<string>());
        var view = await t.Rpc.ViewAccessKeyAsync("alice.test.near", appKey.PublicKey);
        var fc = Assert.IsType<FunctionCallPermission>(view.Permission);
        Assert.Equal("chain-keys.test.near", fc.ReceiverId);
        Assert.Equal(["count", "get_config"], fc.MethodNames);
        Assert.Equal(OneNear / 4, fc.Allowance);
        var keys = await t.Rpc.ViewAccessKeyListAsync("alice.test.near");
        Assert.Equal(2, keys.Count);
        Assert.Single(keys, k => k.IsFullAccess);
    }

    [Fact]
    public async Task Reused_nonce_is_reported_as_invalid_nonce_and_the_sender_recovers()
    {
        await using var t = await LocalChainHost.StartAsync();
        var key = t.Host.Keys["carol.test.near"];
        ulong nonce = (await t.Rpc.ViewAccessKeyAsync("carol.test.near", key.PublicKey)).Nonce;
        var block = await t.Rpc.GetFinalBlockAsync();
        SignedTransaction Transfer(UInt128 amount) =>
            new Transaction("carol.test.near", key.PublicKey, nonce + 1, "bob.test.near", Base58.Decode(block.Hash), [new TransferAction(amount)]).Sign(key);

        Assert.True((await t.Rpc.SendTransactionAsync(Transfer(1))).IsSuccess);
        var e = await Assert.ThrowsAsync<InvalidNonceException>(() => t.Rpc.SendTransactionAsync(Transfer(2)));
        Assert.Equal(nonce + 1, e.TransactionNonce);
        Assert.Equal(nonce + 1, e.AccessKeyNonce);

        // A sender whose nonce cache is stale adopts the chain's ak_nonce from the error and re-signs.
        var nonces = new NonceManager(t.Rpc);
        nonces.Resync("carol.test.near", key.PublicKey, 0);
        var sender = new TransactionSender(t.Rpc, "carol.test.near", key, nonces);
        Assert.True((await sender.SendAsync("bob.test.near", [new TransferAction(3)])).IsSuccess);
    }

    [Fact]
    public async Task Function_calls_return_values_and_surface_function_call_errors()
    {
        await using var t = await LocalChainHost.StartAsync();
        var contract = t.Sender("chain-keys.test.near");
        await contract.SendAsync("chain-keys.test.near",
        [
            new DeployContractAction(File.ReadAllBytes(RepoPaths.ContractWasm("chain_keys"))),
            FunctionCallAction.Json("new", """{"dao_contract_id":"dao.test.near"}""", 50 * Tgas, 0),
        ]);
        var config = await t.Rpc.CallFunctionJsonAsync("chain-keys.test.near", "get_config", "{}");
        Assert.Equal("dao.test.near", config!["dao_contract_id"]!.GetValue<string>());
        Assert.Equal(0, (await t.Rpc.CallFunctionJsonAsync("chain-keys.test.near", "count", "{}"))!.GetValue<int>());

        // A method the contract does not export: the transaction executes and fails with FunctionCallError.
        var missing = await Assert.ThrowsAsync<TransactionFailedException>(() =>
            t.Sender("test.near").FunctionCallAsync("chain-keys.test.near", "no_such_method", "{}", 30 * Tgas, 0));
        Assert.Equal("MethodNotFound", missing.Failure!["ActionError"]!["kind"]!["FunctionCallError"]!["MethodResolveError"]!.GetValue<string>());
        Assert.Contains("MethodNotFound", missing.FailureMessage, StringComparison.Ordinal);

        // A contract panic surfaces its message.
        var panic = await Assert.ThrowsAsync<TransactionFailedException>(() =>
            contract.FunctionCallAsync("chain-keys.test.near", "new", """{"dao_contract_id":"dao.test.near"}""", 30 * Tgas, 0));
        Assert.Contains("already initialized", panic.FailureMessage, StringComparison.Ordinal);

        // A view of a missing method is a query error.
        var view = await Assert.ThrowsAsync<NearRpcException>(() => t.Rpc.CallFunctionAsync("chain-keys.test.near", "no_such_view", "{}"));
        Assert.Equal("CONTRACT_EXECUTION_ERROR", view.CauseName);
        var noCode = await Assert.ThrowsAsync<NearRpcException>(() => t.Rpc.CallFunctionAsync("bob.test.near", "anything", "{}"));
        Assert.Equal("NO_CONTRACT_CODE", noCode.CauseName);
    }

    [Fact]
    public async Task View_code_returns_the_deployed_wasm_and_its_hash_and_missing_code_or_account_is_typed()
    {
        await using var t = await LocalChainHost.StartAsync();
        var wasm = File.ReadAllBytes(RepoPaths.ContractWasm("chain_keys"));
        await t.Sender("chain-keys.test.near").SendAsync("chain-keys.test.near", [new DeployContractAction(wasm)]);

        var code = await t.Rpc.CallAsync("query",
            new JsonObject { ["request_type"] = "view_code", ["finality"] = "final", ["account_id"] = "chain-keys.test.near" }, CancellationToken.None);
        Assert.Equal(["code_base64", "hash", "block_height", "block_hash"], code.AsObject().Select(p => p.Key));
        Assert.Equal(wasm, Convert.FromBase64String(code["code_base64"]!.GetValue<string>()));
        Assert.Equal(Base58.Encode(System.Security.Cryptography.SHA256.HashData(wasm)), code["hash"]!.GetValue<string>());
        Assert.Equal((await t.Rpc.ViewAccountAsync("chain-keys.test.near")).CodeHash, code["hash"]!.GetValue<string>());
        Assert.Equal(t.Host.Chain.LatestBlock.Height, code["block_height"]!.GetValue<ulong>());
        Assert.Equal(Base58.Encode(t.Host.Chain.LatestBlock.Hash), code["block_hash"]!.GetValue<string>());

        // The legacy path form answers the same.
        var legacy = await t.Rpc.CallAsync("query", new JsonArray("code/chain-keys.test.near", ""), CancellationToken.None);
        Assert.Equal(code["hash"]!.GetValue<string>(), legacy["hash"]!.GetValue<string>());

        var noCode = await Assert.ThrowsAsync<NearRpcException>(() => t.Rpc.CallAsync("query",
            new JsonObject { ["request_type"] = "view_code", ["finality"] = "final", ["account_id"] = "bob.test.near" }, CancellationToken.None));
        Assert.Equal("NO_CONTRACT_CODE", noCode.CauseName);
        await Assert.ThrowsAsync<UnknownAccountException>(() => t.Rpc.CallAsync("query",
            new JsonObject { ["request_type"] = "view_code", ["finality"] = "final", ["account_id"] = "nobody.test.near" }, CancellationToken.None,
            accountId: "nobody.test.near"));
    }

    [Fact]
    public async Task Mpc_signer_public_key_view_is_the_configured_master_keys()
    {
        await using var t = await LocalChainHost.StartAsync();
        var source = new NearRpcMpcPublicKeySource(t.Rpc, "v1.signer.test.near", 2);
        var key = await source.GetPublicKeyAsync(CancellationToken.None);
        var expected = MpcSimulator.FromHex(t.Host.Options.Mpc.MasterKeyHex).PublicKey;
        Assert.Equal(BlsKeyText.Encode(expected), BlsKeyText.Encode(key));
    }

    [Fact]
    public async Task Mpc_signer_timeout_first_requests_fails_like_a_yield_timeout_then_answers_verifiably()
    {
        await using var t = await LocalChainHost.StartAsync(o => o.Mpc.TimeoutFirstRequests = 2);
        var a = Keystore.Near.Bls12381.Scalar.Random();
        string request = CkdRequest.ToJson(Keystore.Near.Bls12381.G1Point.Generator.Multiply(a), "retry", 2);
        var alice = t.Sender("alice.test.near");
        for (int i = 0; i < 2; i++)
        {
            var timedOut = await Assert.ThrowsAsync<TransactionFailedException>(() =>
                alice.FunctionCallAsync("v1.signer.test.near", "request_app_private_key", request, 50 * Tgas, 1));
            Assert.Equal("Smart contract panicked: Request has timed out.",
                timedOut.Failure!["ActionError"]!["kind"]!["FunctionCallError"]!["ExecutionError"]!.GetValue<string>());
        }
        var answered = await alice.FunctionCallAsync("v1.signer.test.near", "request_app_private_key", request, 50 * Tgas, 1);
        var signature = CkdCrypto.Decrypt(CkdResponse.FromJson(answered.SuccessValueText()!), a);
        var mpcKey = MpcSimulator.FromHex(t.Host.Options.Mpc.MasterKeyHex).PublicKey;
        Assert.True(CkdCrypto.Verify(signature, mpcKey, CkdAppId.Derive("alice.test.near", "retry")));
    }

    [Fact]
    public async Task Legacy_broadcast_and_tx_forms_work()
    {
        await using var t = await LocalChainHost.StartAsync();
        var key = t.Host.Keys["bob.test.near"];
        ulong nonce = (await t.Rpc.ViewAccessKeyAsync("bob.test.near", key.PublicKey)).Nonce;
        var block = await t.Rpc.GetFinalBlockAsync();
        SignedTransaction Transfer(ulong n) =>
            new Transaction("bob.test.near", key.PublicKey, n, "carol.test.near", Base58.Decode(block.Hash), [new TransferAction(OneNear)]).Sign(key);

        var committed = await t.Rpc.BroadcastTxCommitAsync(Transfer(nonce + 1));
        Assert.True(committed.IsSuccess);

        var asyncTx = Transfer(nonce + 2);
        var hash = await t.Rpc.CallAsync("broadcast_tx_async", new JsonArray(asyncTx.ToBase64()), CancellationToken.None);
        Assert.Equal(asyncTx.HashBase58, hash.GetValue<string>());
        var status = await t.Rpc.TransactionStatusAsync(asyncTx.HashBase58, "bob.test.near");
        Assert.True(status.IsSuccess);

        var legacy = await t.Rpc.CallAsync("tx", new JsonArray(asyncTx.HashBase58, "bob.test.near"), CancellationToken.None);
        Assert.Equal(asyncTx.HashBase58, legacy["transaction"]!["hash"]!.GetValue<string>());
        var experimental = await t.Rpc.CallAsync("EXPERIMENTAL_tx_status",
            new JsonObject { ["tx_hash"] = asyncTx.HashBase58, ["sender_account_id"] = "bob.test.near", ["wait_until"] = "FINAL" }, CancellationToken.None);
        Assert.Equal("carol.test.near", experimental["receipts"]![0]!["receiver_id"]!.GetValue<string>());
    }

    [Fact]
    public async Task Experimental_tx_status_lists_every_receipt_with_its_data_dependencies()
    {
        await using var t = await LocalChainHost.StartAsync();
        // The test contract on bob: call_other(carol) → carol.get(), then bob.on_result() with carol's value.
        foreach (var account in new[] { "bob.test.near", "carol.test.near" })
            await t.Sender(account).SendAsync(account, [new DeployContractAction(Runtime.TestContract.Wasm)]);
        await t.Sender("carol.test.near").SendAsync("carol.test.near", [new FunctionCallAction("set", "from-carol"u8.ToArray(), 30 * Tgas, 0)]);
        var call = await t.Sender("test.near").SendAsync("bob.test.near",
            [new FunctionCallAction("call_other", "carol.test.near"u8.ToArray(), 100 * Tgas, 0)]);
        Assert.True(call.IsSuccess);

        var status = await t.Rpc.CallAsync("EXPERIMENTAL_tx_status",
            new JsonObject { ["tx_hash"] = call.TransactionHash, ["sender_account_id"] = "test.near", ["wait_until"] = "FINAL" }, CancellationToken.None);
        var outcomeIds = status["receipts_outcome"]!.AsArray().Select(o => o!["id"]!.GetValue<string>()).ToList();
        var receipts = status["receipts"]!.AsArray();
        Assert.Equal(3, outcomeIds.Count);
        Assert.Equal(outcomeIds, receipts.Select(r => r!["receipt_id"]!.GetValue<string>()));
        Assert.Equal(["bob.test.near", "carol.test.near", "bob.test.near"], receipts.Select(r => r!["receiver_id"]!.GetValue<string>()));
        Assert.Equal(["test.near", "bob.test.near", "bob.test.near"], receipts.Select(r => r!["predecessor_id"]!.GetValue<string>()));
        var actions = receipts.Select(r => r!["receipt"]!["Action"]!).ToList();
        Assert.All(actions, a =>
        {
            Assert.Equal("test.near", a["signer_id"]!.GetValue<string>());
            Assert.Equal(t.Host.Keys["test.near"].PublicKey.ToString(), a["signer_public_key"]!.GetValue<string>());
            Assert.Equal("100000000", a["gas_price"]!.GetValue<string>());
        });
        Assert.Equal(["call_other", "get", "on_result"], actions.Select(a => a["actions"]![0]!["FunctionCall"]!["method_name"]!.GetValue<string>()));
        var dataReceiver = Assert.Single(actions[1]["output_data_receivers"]!.AsArray())!;
        Assert.Equal("bob.test.near", dataReceiver["receiver_id"]!.GetValue<string>());
        Assert.Equal(dataReceiver["data_id"]!.GetValue<string>(), Assert.Single(actions[2]["input_data_ids"]!.AsArray())!.GetValue<string>());
        Assert.Empty(actions[0]["input_data_ids"]!.AsArray());

        // tx has the same outcomes, without receipts.
        var tx = await t.Rpc.CallAsync("tx", new JsonObject { ["tx_hash"] = call.TransactionHash, ["sender_account_id"] = "test.near" }, CancellationToken.None);
        Assert.Equal(outcomeIds, tx["receipts_outcome"]!.AsArray().Select(o => o!["id"]!.GetValue<string>()));
        Assert.Null(tx["receipts"]);
    }

    [Fact]
    public async Task Bad_requests_get_nearcore_shaped_errors()
    {
        await using var t = await LocalChainHost.StartAsync();
        var unknownMethod = await Assert.ThrowsAsync<NearRpcException>(() => t.Rpc.CallAsync("no_such_method", new JsonObject(), CancellationToken.None));
        Assert.Equal("REQUEST_VALIDATION_ERROR", unknownMethod.Name);
        Assert.Equal("METHOD_NOT_FOUND", unknownMethod.CauseName);

        var badTx = await Assert.ThrowsAsync<NearRpcException>(() => t.Rpc.CallAsync("send_tx", new JsonObject { ["signed_tx_base64"] = "AAEC" }, CancellationToken.None));
        Assert.Equal("PARSE_ERROR", badTx.CauseName);

        var unknownBlock = await Assert.ThrowsAsync<NearRpcException>(() => t.Rpc.CallAsync("block", new JsonObject { ["block_id"] = 999_999 }, CancellationToken.None));
        Assert.Equal("UNKNOWN_BLOCK", unknownBlock.CauseName);

        string unknownHash = Base58.Encode(new byte[32]);
        var unknownTx = await Assert.ThrowsAsync<NearRpcException>(() =>
            t.Rpc.CallAsync("tx", new JsonObject { ["tx_hash"] = unknownHash, ["sender_account_id"] = "test.near" }, CancellationToken.None));
        Assert.Equal("UNKNOWN_TRANSACTION", unknownTx.CauseName);
    }

    [Fact]
    public async Task Blocks_by_finality_height_and_hash_agree_and_gas_price_is_the_minimum()
    {
        await using var t = await LocalChainHost.StartAsync();
        await t.Sender("test.near").SendAsync("bob.test.near", [new TransferAction(1)]);
        var latest = await t.Rpc.GetFinalBlockAsync();
        var byHeight = await t.Rpc.CallAsync("block", new JsonObject { ["block_id"] = latest.Height }, CancellationToken.None);
        var byHash = await t.Rpc.CallAsync("block", new JsonObject { ["block_id"] = latest.Hash }, CancellationToken.None);
        Assert.Equal(latest.Hash, byHeight["header"]!["hash"]!.GetValue<string>());
        Assert.Equal(byHeight.ToJsonString(), byHash.ToJsonString());
        var previous = await t.Rpc.CallAsync("block", new JsonArray(latest.Height - 1), CancellationToken.None);
        Assert.Equal(previous["header"]!["hash"]!.GetValue<string>(), byHeight["header"]!["prev_hash"]!.GetValue<string>());

        var price = await t.Rpc.CallAsync("gas_price", new JsonArray((JsonNode?)null), CancellationToken.None);
        Assert.Equal("100000000", price["gas_price"]!.GetValue<string>());
        var status = await t.Rpc.CallAsync("status", new JsonArray(), CancellationToken.None);
        Assert.Equal("localnet", status["chain_id"]!.GetValue<string>());
        Assert.Equal(latest.Height, status["sync_info"]!["latest_block_height"]!.GetValue<ulong>());
    }
}
