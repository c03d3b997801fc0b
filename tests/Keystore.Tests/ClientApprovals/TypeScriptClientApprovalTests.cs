using Keystore.Tests.Support;

namespace Keystore.Tests.ClientApprovals;

/// <summary>
/// The TypeScript client's approval and webhook methods (clients/typescript/test/approvals.test.mjs) against this real
/// keystore: the owner, three approvers and a stranger load NEAR CLI credentials files; the suite checks the signed result
/// with ethers and runs a webhook receiver that verifies deliveries with the client's verifier.
/// </summary>
public sealed class TypeScriptClientApprovalTests
{
    [Fact]
    public async Task The_TypeScript_client_drives_approvals_and_webhooks_against_the_real_keystore()
    {
        string package = Path.Combine(RepoPaths.Root, "clients", "typescript");
        Assert.True(File.Exists(Path.Combine(package, "dist", "index.js")),
            "clients/typescript is not built: run 'npm ci && npm run build' there (./test.sh does).");
        await using ClientApprovalNetwork network = await ClientApprovalNetwork.StartAsync();
        NodeResult result = await NodeOracle.RunProcessAsync(["--test", Path.Combine(package, "test", "approvals.test.mjs")], null,
            new Dictionary<string, string>
            {
                ["KEYSTORE_URL"] = network.Server.Client.BaseAddress!.ToString(),
                ["KEYSTORE_CREDENTIALS_DIR"] = network.CredentialsDir,
                ["KEYSTORE_OWNER"] = ClientApprovalNetwork.Owner,
            });
        Assert.True(result.ExitCode == 0, result.StdOut + result.StdErr);
        Assert.Contains("# pass 5", result.StdOut, StringComparison.Ordinal);
        Assert.Contains("# fail 0", result.StdOut, StringComparison.Ordinal);
    }
}
