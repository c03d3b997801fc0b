using System.Text.Json.Nodes;
using Keystore.Near.Encoding;
using Keystore.Near.Transactions;
using Xunit;

namespace Keystore.LocalNear.Tests.Rpc;

/// <summary>
/// The local chain's actual responses validated against @near-js/jsonrpc-types (nearcore's OpenAPI spec as zod
/// schemas) by tests/oracles/localnear-schema.mjs.
/// </summary>
public sealed class SchemaTests
{
    private static readonly string[] ExpectedChecks =
    [
        "status", "block finality", "block height", "gas_price",
        "query view_account", "query view_access_key", "query view_access_key_list", "query call_function", "query view_state",
        "query view_code", "query error CONTRACT_EXECUTION_ERROR", "query error CONTRACT_EXECUTION_ERROR info.error",
        "query error UNKNOWN_ACCOUNT", "error METHOD_NOT_FOUND",
        "send_tx transfer", "send_tx failing call", "broadcast_tx_commit add key", "send_tx cross-contract call", "broadcast_tx_async transfer",
        "tx", "EXPERIMENTAL_tx_status",
        "EXPERIMENTAL_tx_status send_tx cross-contract call", "EXPERIMENTAL_tx_status send_tx cross-contract call receipts match outcomes",
    ];

    [Fact]
    public async Task Every_methods_response_matches_nearcores_schema_and_broken_responses_are_rejected()
    {
        await using var t = await LocalChainHost.StartAsync();
        // A contract with state, for call_function and view_state.
        await t.Sender("chain-keys.test.near").SendAsync("chain-keys.test.near",
        [
            new DeployContractAction(File.ReadAllBytes(RepoPaths.ContractWasm("chain_keys"))),
            FunctionCallAction.Json("new", """{"dao_contract_id":"dao.test.near"}""", 50 * LocalChainHost.Tgas, 0),
        ]);
        // The runtime's test contract on bob, for a transaction with several receipts: call_other(bob) → bob.get() → bob.on_result().
        await t.Sender("bob.test.near").SendAsync("bob.test.near",
            [new DeployContractAction(Runtime.TestContract.Wasm), new FunctionCallAction("set", "x"u8.ToArray(), 30 * LocalChainHost.Tgas, 0)]);

        // Transactions signed here, sent by the script in this order (consecutive nonces).
        var key = t.Host.Keys["test.near"];
        ulong nonce = (await t.Rpc.ViewAccessKeyAsync("test.near", key.PublicKey)).Nonce;
        var blockHash = Base58.Decode((await t.Rpc.GetFinalBlockAsync()).Hash);
        JsonObject Tx(string name, string method, params NearAction[] actions) => new()
        {
            ["name"] = name,
            ["method"] = method,
            ["experimental"] = name.Contains("cross-contract", StringComparison.Ordinal),
            ["signedTxBase64"] = new Transaction("test.near", key.PublicKey, ++nonce, actions[0] is AddKeyAction ? "test.near" : "bob.test.near",
                blockHash, actions).Sign(key).ToBase64(),
        };
        using var extraKey = Keystore.Near.Keys.Ed25519KeyPair.Generate();
        var transactions = new JsonArray(
            Tx("send_tx transfer", "send_tx", new TransferAction(LocalChainHost.OneNear)),
            Tx("send_tx failing call", "send_tx", FunctionCallAction.Json("no_such_method", "{}", 10 * LocalChainHost.Tgas, 0)),
            Tx("broadcast_tx_commit add key", "broadcast_tx_commit", new AddKeyAction(extraKey.PublicKey, AccessKey.FunctionCall("chain-keys.test.near", ["count"], LocalChainHost.OneNear))),
            Tx("send_tx cross-contract call", "send_tx", new FunctionCallAction("call_other", "bob.test.near"u8.ToArray(), 100 * LocalChainHost.Tgas, 0)),
            Tx("broadcast_tx_async transfer", "broadcast_tx_async", new TransferAction(1)));

        var output = await NodeOracle.RunAsync("localnear-schema.mjs", new JsonObject
        {
            ["url"] = t.Url.ToString(),
            ["accountId"] = "test.near",
            ["publicKey"] = key.PublicKey.ToString(),
            ["contractId"] = "chain-keys.test.near",
            ["viewMethod"] = "get_config",
            ["viewArgs"] = "{}",
            ["blockHeight"] = t.Host.Chain.LatestBlock.Height,
            ["transactions"] = transactions,
            ["senderId"] = "test.near",
        });

        var checks = output["checks"]!.AsArray();
        var failures = checks.Where(c => !c!["ok"]!.GetValue<bool>()).Select(c => c!.ToJsonString()).ToList();
        Assert.True(failures.Count == 0, "schema violations:\n" + string.Join("\n", failures));
        Assert.Equal(ExpectedChecks, checks.Select(c => c!["name"]!.GetValue<string>()));

        var broken = output["broken"]!.AsArray();
        Assert.Equal(2, broken.Count);
        Assert.All(broken, b => Assert.True(b!["rejected"]!.GetValue<bool>(), $"the validator accepted {b["name"]}"));
    }
}
