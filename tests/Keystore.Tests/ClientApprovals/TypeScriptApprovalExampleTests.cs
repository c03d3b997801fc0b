using System.Diagnostics;
using Keystore.Tests.Support;
using Keystore.TestSupport.Processes;

namespace Keystore.Tests.ClientApprovals;

/// <summary>
/// examples/typescript/approvals.mjs runs as a user runs it against ./run.sh, here against a real keystore with an owner
/// and two of its approvers: held transfer, two approvals from the approvers' own clients, the signed transaction, and
/// webhook deliveries its receiver verified. Shares the examples folder's node_modules with the README test, hence the collection.
/// </summary>
[Collection(ExamplesCollection.Name)]
public sealed class TypeScriptApprovalExampleTests
{
    [Fact]
    public async Task The_approvals_example_runs_a_held_transfer_through_two_approvers_and_verifies_its_webhook()
    {
        string examples = Path.Combine(RepoPaths.Root, "examples", "typescript");
        // The README test installs the examples too (same collection, never at once); whichever runs first does it.
        if (!Directory.Exists(Path.Combine(examples, "node_modules", "near-api-js")))
        {
            (int code, string output) = await NpmCiAsync(examples);
            Assert.True(code == 0, output);
        }
        await using ClientApprovalNetwork network = await ClientApprovalNetwork.StartAsync();
        NodeResult result = await NodeOracle.RunProcessAsync([Path.Combine(examples, "approvals.mjs")], null, new Dictionary<string, string>
        {
            ["KEYSTORE_URL"] = network.Server.Client.BaseAddress!.ToString(),
            ["KEYSTORE_CREDENTIALS_DIR"] = network.CredentialsDir,
            ["KEYSTORE_OWNER"] = ClientApprovalNetwork.Owner,
            ["KEYSTORE_APPROVERS"] = "bob.near,carol.near",
        });
        Assert.True(result.ExitCode == 0, result.StdOut + result.StdErr);
        Assert.Matches(@"pending\s+[A-Za-z0-9_-]{22}\s+needs 2 of bob\.near, carol\.near", result.StdOut);
        Assert.Matches(@"approved\s+by bob\.near \(200000000000000000 wei to 0x742d35Cc6634C0532925a3b844Bc454e4438f44e\)\s+state pending", result.StdOut);
        Assert.Matches(@"approved\s+by carol\.near .*state signed", result.StdOut);
        Assert.Matches(@"signed\s+0x[0-9a-f]{64}\s+\(ethers reads from=0x[0-9a-fA-F]{40}\)", result.StdOut);
        Assert.Contains("verified deliveries: approved, approved, pending, signed", result.StdOut, StringComparison.Ordinal);
    }

    private static async Task<(int Code, string Output)> NpmCiAsync(string folder)
    {
        TimedProcessResult run = await TimedProcess.RunAsync(
            new ProcessStartInfo("npm", ["ci", "--no-audit", "--no-fund", "--loglevel=error"]) { WorkingDirectory = folder },
            TimeSpan.FromMinutes(4), "npm ci in examples/typescript");
        return (run.ExitCode, run.Output);
    }
}
