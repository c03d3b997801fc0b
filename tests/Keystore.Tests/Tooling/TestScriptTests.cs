using System.Diagnostics;
using Keystore.Tests.Support;

namespace Keystore.Tests.Tooling;

/// <summary>The test command counts every suite and fails, rather than skips, a suite that cannot run.</summary>
public class TestScriptTests
{
    private static async Task<(int ExitCode, string Stdout, string Stderr)> BashAsync(string script, string argument, string? path = null)
    {
        string bash = File.Exists("/bin/bash") ? "/bin/bash" : "/usr/bin/bash";
        var start = new ProcessStartInfo(bash) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = Path.GetTempPath() };
        start.ArgumentList.Add(Path.Combine(RepoPaths.Root, script));
        if (argument.Length > 0) start.ArgumentList.Add(argument);
        if (path is not null) start.Environment["PATH"] = path;
        using Process process = Process.Start(start)!;
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout, await stderr);
    }

    [Fact]
    public async Task The_summary_line_counts_dotnet_cargo_and_wasm_end_to_end_results()
    {
        string log = Path.GetTempFileName();
        await File.WriteAllLinesAsync(log,
        [
            "Passed!  - Failed:     0, Passed:    12, Skipped:     0, Total:    12, Duration: 3 s - Keystore.Near.Tests.dll (net10.0)",
            "Failed!  - Failed:     1, Passed:     4, Skipped:     0, Total:     5, Duration: 1 s - Keystore.Tests.dll (net10.0)",
            "test result: ok. 7 passed; 0 failed; 0 ignored; 0 measured; 0 filtered out; finished in 0.01s",
            "ok   tee-dao new",
            "wasm e2e: 26 passed, 2 failed",
        ]);
        var (exitCode, stdout, stderr) = await BashAsync("scripts/test-summary.sh", log);
        File.Delete(log);
        Assert.True(exitCode == 0, stderr);
        Assert.Equal("49 passed, 3 failed", stdout.Trim());
    }

    [Fact]
    public async Task The_contract_suite_fails_when_node_is_missing_instead_of_skipping_the_wasm_run()
    {
        // A PATH with nothing on it: no node (and no cargo, so nothing is built before the check).
        string empty = Directory.CreateTempSubdirectory("no-node-").FullName;
        var (exitCode, stdout, stderr) = await BashAsync("contracts/test.sh", "", path: empty);
        Directory.Delete(empty);
        Assert.NotEqual(0, exitCode);
        Assert.Contains("FAILED: node not found", stderr);
        Assert.DoesNotContain("skipping", stdout + stderr);
    }
}
