using System.Security.Cryptography;
using System.Text.RegularExpressions;
using Keystore.Near.Ckd;
using Keystore.Near.Encoding;
using Xunit;

namespace Keystore.LocalNear.Tests.Rpc;

/// <summary>
/// near-cli 4 (npm <c>near-cli</c>, on near-api-js 3) against the local chain. near-cli 4 knows the networks
/// mainnet, testnet and custom: the chain is reached as <c>NEAR_ENV=custom</c> + <c>NEAR_CUSTOM_RPC</c>, with the
/// credentials the host wrote copied to <c>$HOME/.near-credentials/custom</c> (HOME is a temporary directory).
/// </summary>
public sealed partial class NearCliTests
{
    [Fact]
    public async Task Near_cli_views_deploys_and_calls_a_function_that_lands()
    {
        await using var t = await LocalChainHost.StartAsync();
        string home = Path.Combine(t.Directory, "home");
        string custom = Path.Combine(home, ".near-credentials", "custom");
        Directory.CreateDirectory(custom);
        foreach (string file in Directory.GetFiles(t.Host.Genesis.CredentialsDirectory!))
            File.Copy(file, Path.Combine(custom, Path.GetFileName(file)));

        // The MPC signer's public key through a view.
        var view = await NearAsync(t, home, "view", "v1.signer.test.near", "public_key", """{"domain_id":2}""");
        Assert.Contains(BlsKeyText.Encode(t.Host.Genesis.Mpc!.PublicKey), view, StringComparison.Ordinal);

        // Deploy and call `new` signed by carol's genesis key; both transactions land.
        string wasm = RepoPaths.ContractWasm("chain_keys");
        var deploy = await NearAsync(t, home, "deploy", "carol.test.near", wasm);
        Assert.Contains("Done deploying to carol.test.near", deploy, StringComparison.Ordinal);
        var call = await NearAsync(t, home, "call", "carol.test.near", "new", """{"dao_contract_id":"dao.test.near"}""", "--accountId", "carol.test.near");
        string txHash = TransactionId().Match(call).Groups[1].Value;
        Assert.True((await t.Rpc.TransactionStatusAsync(txHash, "carol.test.near")).IsSuccess);

        Assert.Equal(Base58.Encode(SHA256.HashData(File.ReadAllBytes(wasm))), (await t.Rpc.ViewAccountAsync("carol.test.near")).CodeHash);
        var config = await NearAsync(t, home, "view", "carol.test.near", "get_config");
        Assert.Contains("dao_contract_id: 'dao.test.near'", config, StringComparison.Ordinal);
        Assert.Equal("dao.test.near", (await t.Rpc.CallFunctionJsonAsync("carol.test.near", "get_config", "{}"))!["dao_contract_id"]!.GetValue<string>());
    }

    [Fact]
    public async Task Near_cli_failed_call_exits_with_the_contract_error()
    {
        await using var t = await LocalChainHost.StartAsync();
        string home = Path.Combine(t.Directory, "home");
        string custom = Path.Combine(home, ".near-credentials", "custom");
        Directory.CreateDirectory(custom);
        File.Copy(Path.Combine(t.Host.Genesis.CredentialsDirectory!, "test.near.json"), Path.Combine(custom, "test.near.json"));

        var result = await RunNearAsync(t, home, "call", "v1.signer.test.near", "no_such_method", "{}", "--accountId", "test.near");
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("not supported by the local MPC signer", result.StdOut + result.StdErr, StringComparison.Ordinal);
    }

    private static async Task<string> NearAsync(LocalChainHost t, string home, params string[] arguments)
    {
        var result = await RunNearAsync(t, home, arguments);
        Assert.True(result.ExitCode == 0, $"near {string.Join(' ', arguments)} failed ({result.ExitCode}): {result.StdErr}\n{result.StdOut}");
        return result.StdOut;
    }

    private static Task<NodeResult> RunNearAsync(LocalChainHost t, string home, params string[] arguments) =>
        NodeOracle.RunProcessAsync([Path.Combine(RepoPaths.Oracles, "node_modules", "near-cli", "bin", "near-cli.js"), .. arguments], null,
            new Dictionary<string, string>
            {
                ["HOME"] = home,
                ["NEAR_ENV"] = "custom",
                ["NEAR_CUSTOM_RPC"] = t.Url.ToString(),
                // No update check against the npm registry.
                ["CI"] = "1",
                ["NO_UPDATE_NOTIFIER"] = "1",
            });

    [GeneratedRegex(@"Transaction Id ([1-9A-HJ-NP-Za-km-z]+)")]
    private static partial Regex TransactionId();
}
