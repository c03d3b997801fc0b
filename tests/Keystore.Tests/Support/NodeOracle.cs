using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Keystore.Tests.Support;

/// <summary>
/// Runs an independent implementation (a Node script in tests/oracles) with JSON on stdin and reads
/// its JSON answer. The test command installs the npm packages; a missing install is a failure.
/// </summary>
public static class NodeOracle
{
    public static async Task<JsonNode> RunAsync(string script, JsonNode input)
    {
        string dir = Path.Combine(RepoPaths.Root, "tests", "oracles");
        if (!Directory.Exists(Path.Combine(dir, "node_modules")))
            throw new InvalidOperationException("tests/oracles/node_modules is missing: run 'npm ci' in tests/oracles (the test command does).");
        var start = new ProcessStartInfo("node", Path.Combine(dir, script))
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = dir,
        };
        using Process process = Process.Start(start) ?? throw new InvalidOperationException("node did not start");
        await process.StandardInput.WriteAsync(input.ToJsonString());
        process.StandardInput.Close();
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"node {script} failed ({process.ExitCode}): {await stderr}");
        return JsonNode.Parse(await stdout) ?? throw new JsonException($"node {script} printed nothing");
    }
}
