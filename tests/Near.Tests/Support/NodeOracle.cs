using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Keystore.Near.Tests.Support;

/// <summary>Runs a Node oracle script from tests/oracles. Missing node or node_modules fails the test (never skips).</summary>
public static class NodeOracle
{
    public static string RepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Keystore.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("Could not find Keystore.sln above " + AppContext.BaseDirectory);
    }

    public static JsonNode Run(string script, object input)
    {
        string oracles = Path.Combine(RepoRoot(), "tests", "oracles");
        if (!Directory.Exists(Path.Combine(oracles, "node_modules")))
            throw new InvalidOperationException($"Oracle dependencies missing: run `npm ci` in {oracles} (node_modules not found).");
        var psi = new ProcessStartInfo("node", script)
        {
            WorkingDirectory = oracles,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(psi) ?? throw new InvalidOperationException("Could not start node.");
        process.StandardInput.Write(JsonSerializer.Serialize(input));
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(60_000)) { process.Kill(true); throw new TimeoutException($"Oracle {script} timed out."); }
        if (process.ExitCode != 0) throw new InvalidOperationException($"Oracle {script} failed ({process.ExitCode}): {stderr.Result}");
        return JsonNode.Parse(stdout.Result) ?? throw new InvalidOperationException("Oracle returned nothing.");
    }

    public static string VectorPath(string name) => Path.Combine(AppContext.BaseDirectory, "Vectors", name);
}
