using System.Diagnostics;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Keystore.Near.Encoding;
using Keystore.Tests.ClientApprovals;
using Keystore.Tests.Support;
using Keystore.TestSupport.Processes;

namespace Keystore.Tests.Clients;

/// <summary>
/// The README's "First signature in five minutes" commands, extracted from the README and run as written, against a
/// real keystore standing in for ./run.sh: the same account (alice.test.near) owning the key of a NEAR CLI credentials
/// file, Bitcoin on regtest. The examples read KEYSTORE_URL and KEYSTORE_CREDENTIALS, which point them here.
/// </summary>
[Collection(ExamplesCollection.Name)]
public class ReadmeFirstSignatureTests
{
    [Fact]
    public async Task The_README_first_signature_commands_sign_on_every_chain_with_both_clients()
    {
        string readme = await File.ReadAllTextAsync(Path.Combine(RepoPaths.Root, "README.md"));
        int start = readme.IndexOf("## First signature in five minutes", StringComparison.Ordinal);
        Assert.True(start >= 0, "the README has no 'First signature in five minutes' section");
        int end = readme.IndexOf("\n## ", start + 5, StringComparison.Ordinal);
        string[] blocks = Regex.Matches(readme[start..end], "```sh\n(.*?)```", RegexOptions.Singleline, TimeSpan.FromSeconds(1))
            .Select(m => m.Groups[1].Value.Trim()).ToArray();
        Assert.Equal("./run.sh", blocks[0]);
        Assert.Equal(3, blocks.Length);

        byte[] seed = RandomNumberGenerator.GetBytes(32);
        using NearKeyPair key = NearKeyPair.FromSeed(seed);
        string credentials = Path.Combine(Path.GetTempPath(), $"readme-alice-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(credentials, new JsonObject
        {
            ["account_id"] = "alice.test.near",
            ["public_key"] = key.PublicKey,
            ["private_key"] = "ed25519:" + Base58.Encode([.. seed, .. key.PublicKeyBytes]),
        }.ToJsonString());
        try
        {
            await using KeystoreServer server = await KeystoreServer.StartAsync(new Dictionary<string, string?>
            {
                ["Keystore:Owners:alice.test.near:0"] = key.PublicKey,
                ["Keystore:Bitcoin:Network"] = "regtest",
            });
            var environment = new Dictionary<string, string>
            {
                ["KEYSTORE_URL"] = server.Client.BaseAddress!.ToString(),
                ["KEYSTORE_CREDENTIALS"] = credentials,
                ["KEYSTORE_BITCOIN_NETWORK"] = "regtest",
            };
            foreach (string block in blocks[1..])
            {
                (int code, string output) = await BashAsync(block, environment);
                Assert.True(code == 0, $"{block}\n{output}");
                Assert.Contains("agent for alice.test.near", output, StringComparison.Ordinal);
                Assert.Matches(@"ethereum\s+0x[0-9a-fA-F]{40}\s+signed 0x[0-9a-f]{64}", output);
                Assert.Matches(@"solana\s+[1-9A-HJ-NP-Za-km-z]{32,44}\s+signed [1-9A-HJ-NP-Za-km-z]{80,90}", output);
                Assert.Matches(@"bitcoin\s+bcrt1p[0-9a-z]{58}\s+signed inputs 0", output);
            }
        }
        finally
        {
            File.Delete(credentials);
        }
    }

    private static async Task<(int Code, string Output)> BashAsync(string script, IReadOnlyDictionary<string, string> environment)
    {
        var start = new ProcessStartInfo("bash", ["-euo", "pipefail", "-c", script]) { WorkingDirectory = RepoPaths.Root };
        foreach ((string name, string value) in environment) start.Environment[name] = value;
        TimedProcessResult run = await TimedProcess.RunAsync(start, TimeSpan.FromMinutes(4), $"'{script}'");
        return (run.ExitCode, run.Output);
    }
}
