using System.Text.Json.Nodes;
using Xunit;

namespace Keystore.LocalNear.Tests.Rpc;

/// <summary>near-api-js 7 (tests/oracles/localnear-near-api-js.mjs) as an independent client of the local chain.</summary>
public sealed class NearApiJsTests
{
    [Fact]
    public async Task Near_api_js_reads_accounts_sends_transfer_and_function_call_and_parses_errors()
    {
        await using var t = await LocalChainHost.StartAsync();
        var amount = LocalChainHost.OneNear * 3;
        var output = await NodeOracle.RunAsync("localnear-near-api-js.mjs", new JsonObject
        {
            ["url"] = t.Url.ToString(),
            ["sender"] = new JsonObject { ["accountId"] = "test.near", ["privateKey"] = t.Host.Keys["test.near"].ExportSecretKey() },
            ["receiverId"] = "alice.test.near",
            ["amount"] = amount.ToString(),
            ["deployer"] = new JsonObject { ["accountId"] = "bob.test.near", ["privateKey"] = t.Host.Keys["bob.test.near"].ExportSecretKey() },
            ["wasmPath"] = RepoPaths.ContractWasm("chain_keys"),
            ["daoAccountId"] = "dao.test.near",
        });

        Assert.Equal("localnet", output["chainId"]!.GetValue<string>());
        Assert.Equal((LocalChainHost.OneNear * 1_000_000_000).ToString(), output["senderBalance"]!.GetValue<string>());
        var before = UInt128.Parse(output["receiverBefore"]!.GetValue<string>());
        Assert.Equal(before + amount, UInt128.Parse(output["receiverAfter"]!.GetValue<string>()));
        Assert.Equal(before + amount, (await t.Rpc.ViewAccountAsync("alice.test.near")).Amount);

        string hash = output["transfer"]!["hash"]!.GetValue<string>();
        Assert.Equal("FINAL", output["transfer"]!["finalStatus"]!.GetValue<string>());
        Assert.Equal("", output["transfer"]!["status"]!["SuccessValue"]!.GetValue<string>());
        Assert.Equal(hash, output["txStatus"]!["hash"]!.GetValue<string>());
        Assert.True((await t.Rpc.TransactionStatusAsync(hash, "test.near")).IsSuccess);

        Assert.NotNull(output["deploy"]!["status"]!["SuccessValue"]);
        Assert.NotNull(output["init"]!["status"]!["SuccessValue"]);
        Assert.Equal("dao.test.near", output["config"]!["dao_contract_id"]!.GetValue<string>());
        Assert.Equal(0, output["count"]!.GetValue<int>());
        Assert.Equal("dao.test.near", (await t.Rpc.CallFunctionJsonAsync("bob.test.near", "get_config", "{}"))!["dao_contract_id"]!.GetValue<string>());

        // view_code: near-api-js decodes code_base64 into the deployed wasm; hash is its sha256 and the account's code_hash.
        var wasm = File.ReadAllBytes(RepoPaths.ContractWasm("chain_keys"));
        var code = output["code"]!;
        Assert.Equal(wasm.Length, code["length"]!.GetValue<int>());
        Assert.Equal(Convert.ToBase64String(System.Security.Cryptography.SHA256.HashData(wasm)), code["sha256Base64"]!.GetValue<string>());
        Assert.Equal(Keystore.Near.Encoding.Base58.Encode(System.Security.Cryptography.SHA256.HashData(wasm)), code["hash"]!.GetValue<string>());
        Assert.Equal(code["hash"]!.GetValue<string>(), code["accountCodeHash"]!.GetValue<string>());
        Assert.Equal(code["hash"]!.GetValue<string>(), code["viaAccount"]!["hash"]!.GetValue<string>());
        Assert.Equal(wasm.Length, code["viaAccount"]!["length"]!.GetValue<int>());
        Assert.True(code["blockHeight"]!.GetValue<ulong>() > 0);

        // nearcore's error shapes must land in near-api-js's typed errors, not generic ones.
        var errors = output["errors"]!;
        Assert.Equal("AccountDoesNotExistError", errors["unknownAccount"]!.GetValue<string>());
        Assert.Equal("AccessKeyDoesNotExistError", errors["unknownAccessKey"]!.GetValue<string>());
        Assert.Equal("ContractMethodNotFoundError", errors["missingViewMethod"]!.GetValue<string>());
        Assert.Equal("ContractCodeDoesNotExistError", errors["noContractCode"]!.GetValue<string>());
        Assert.Equal("ContractMethodNotFoundError", errors["missingCallMethod"]!.GetValue<string>());
        Assert.Equal("ContractCodeDoesNotExistError", errors["viewCodeWithoutCode"]!.GetValue<string>());
        Assert.Equal("AccountDoesNotExistError", errors["viewCodeUnknownAccount"]!.GetValue<string>());
    }
}
