using System.Diagnostics;
using System.Text.Json.Nodes;

namespace Keystore.Chains.Tests;

/// <summary>
/// Runs an independent implementation (a Node script in tests/oracles using ethers, @scure/btc-signer,
/// @noble/curves, @solana/web3.js) with JSON on stdin and returns its JSON output. A missing Node
/// or node_modules fails the test: the oracle is part of the proof, not optional.
/// </summary>
internal static class Oracle
{
    private static readonly Lazy<string> OraclesDirectory = new(FindOracles);

    private static string FindOracles()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Keystore.sln")))
            {
                var oracles = Path.Combine(dir.FullName, "tests", "oracles");
                if (!Directory.Exists(Path.Combine(oracles, "node_modules")))
                    Assert.Fail($"Oracle dependencies missing: run `npm ci` in {oracles} (needs ethers, @scure/btc-signer, @noble/curves, @solana/web3.js).");
                return oracles;
            }
        }
        Assert.Fail("Could not find the repository root (a folder with Keystore.sln) above " + AppContext.BaseDirectory);
        return "";
    }

    public static JsonNode Run(string script, JsonNode input)
    {
        var start = new ProcessStartInfo("node", script)
        {
            WorkingDirectory = OraclesDirectory.Value,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        Process process;
        try
        {
            process = Process.Start(start)!;
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            Assert.Fail($"Node.js is required for the oracle tests and could not be started: {ex.Message}");
            throw;
        }
        using (process)
        {
            process.StandardInput.Write(input.ToJsonString());
            process.StandardInput.Close();
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(60_000))
            {
                process.Kill(entireProcessTree: true);
                Assert.Fail($"{script} timed out.");
            }
            if (process.ExitCode != 0)
                Assert.Fail($"{script} exited with {process.ExitCode}: {stderr.Result}");
            return JsonNode.Parse(stdout.Result) ?? throw new InvalidOperationException($"{script} printed nothing.");
        }
    }
}
