using System.Diagnostics;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Keystore.EndToEnd.Tests.Support;
using Keystore.Near.Rpc;

namespace Keystore.EndToEnd.Tests;

/// <summary>
/// Operators govern with NEAR CLI: the npm near-cli (4.x; it reaches a local chain as network
/// <c>custom</c>), installed by the test command, reads the keystore network's views and sends a
/// council vote that lands and executes the proposal.
/// </summary>
public sealed partial class NearCliGovernanceTests
{
    [Fact]
    public async Task A_council_member_votes_with_near_cli_and_the_proposal_executes()
    {
        await using LocalKeystoreNetwork net = await LocalKeystoreNetwork.StartAsync();
        await using KeystoreNode keystore = await net.StartKeystoreAsync();
        string workerKey = (await keystore.GetJsonAsync("/v1/attestation"))["workerPublicKey"]!.GetValue<string>();

        string home = Path.Combine(net.Directory, "home");
        string custom = Path.Combine(home, ".near-credentials", "custom");
        Directory.CreateDirectory(custom);
        foreach (string account in LocalKeystoreNetwork.Council)
            File.Copy(net.CredentialsFile(account), Path.Combine(custom, account + ".json"));

        // Views: the worker the keystore registered, and the DAO's configuration.
        string workers = await NearAsync(net, home, "view", LocalKeystoreNetwork.Dao, "list_workers", "{}");
        Assert.Contains(workerKey, workers);
        string config = await NearAsync(net, home, "view", LocalKeystoreNetwork.Dao, "get_config", "{}");
        Assert.Contains("v1.signer.test.near", config);

        // alice proposes (with our client); bob votes with near-cli; the vote reaches the threshold.
        ExecutionOutcome proposed = await net.Sender("alice.test.near").FunctionCallAsync(LocalKeystoreNetwork.Dao, "propose",
            """{"kind":"set_threshold","threshold":3}""", 100 * LocalKeystoreNetwork.Tgas, 0);
        long id = proposed.SuccessValueJson()!["id"]!.GetValue<long>();
        string vote = await NearAsync(net, home, "call", LocalKeystoreNetwork.Dao, "vote", $$"""{"proposal_id":{{id}}}""",
            "--accountId", "bob.test.near", "--gas", "100000000000000");
        string hash = TransactionId().Match(vote).Groups[1].Value;
        Assert.True((await net.Rpc.TransactionStatusAsync(hash, "bob.test.near")).IsSuccess);

        JsonNode proposal = (await net.ViewAsync(LocalKeystoreNetwork.Dao, "get_proposal", new JsonObject { ["proposal_id"] = id }))!;
        Assert.Equal("executed", proposal["status"]!.GetValue<string>());
        Assert.Equal(3, (await net.ViewAsync(LocalKeystoreNetwork.Dao, "get_config"))!["threshold"]!.GetValue<int>());
    }

    internal static async Task<string> NearAsync(LocalKeystoreNetwork net, string home, params string[] arguments)
    {
        string oracles = RepoPaths.Oracles;
        string cli = Path.Combine(oracles, "node_modules", "near-cli", "bin", "near-cli.js");
        if (!File.Exists(cli)) throw new InvalidOperationException($"{cli} is missing: run 'npm ci' in tests/oracles (the test command does).");
        var environment = new Dictionary<string, string>
        {
            ["HOME"] = home,
            ["NEAR_ENV"] = "custom",
            ["NEAR_CUSTOM_RPC"] = net.RpcUrl.ToString(),
            ["CI"] = "1",
            ["NO_UPDATE_NOTIFIER"] = "1",
        };
        NodeResult result = await NodeOracle.RunProcessAsync([cli, .. arguments], null, environment);
        Assert.True(result.ExitCode == 0, $"near {string.Join(' ', arguments)} failed ({result.ExitCode}): {result.StdErr}\n{result.StdOut}");
        return result.StdOut;
    }

    [GeneratedRegex(@"Transaction Id ([1-9A-HJ-NP-Za-km-z]+)")]
    internal static partial Regex TransactionId();
}
