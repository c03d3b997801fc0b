using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Keystore.LocalNear.Tests.Support;

/// <summary>
/// Runs Node programs from tests/oracles (scripts reading JSON on stdin and printing JSON, or npm CLIs such as
/// near-cli). The test command installs the npm packages (<c>npm ci</c>); a missing install is a failure.
/// </summary>
public static class NodeRunner
{
    public static string OraclesDirectory
    {
        get
        {
            string dir = Path.Combine(RepoPaths.Root, "tests", "oracles");
            if (!Directory.Exists(Path.Combine(dir, "node_modules")))
                throw new InvalidOperationException("tests/oracles/node_modules is missing: run 'npm ci' in tests/oracles (the test command does).");
            return dir;
        }
    }

    /// <summary>Runs <c>tests/oracles/&lt;script&gt;</c> with <paramref name="input"/> on stdin; returns its JSON output.</summary>
    public static async Task<JsonNode> RunScriptAsync(string script, JsonNode input, TimeSpan? timeout = null)
    {
        var result = await RunAsync([Path.Combine(OraclesDirectory, script)], input.ToJsonString(), null, timeout).ConfigureAwait(false);
        if (result.ExitCode != 0)
            throw new InvalidOperationException($"node {script} failed ({result.ExitCode}): {result.StdErr}\n{result.StdOut}");
        return JsonNode.Parse(result.StdOut) ?? throw new JsonException($"node {script} printed nothing");
    }

    public sealed record Result(int ExitCode, string StdOut, string StdErr);

    /// <summary>Runs <c>node &lt;arguments&gt;</c> in tests/oracles with extra environment variables.</summary>
    public static async Task<Result> RunAsync(IReadOnlyList<string> arguments, string? stdin, IReadOnlyDictionary<string, string>? environment, TimeSpan? timeout = null)
    {
        var start = new ProcessStartInfo("node")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = OraclesDirectory,
        };
        foreach (string argument in arguments) start.ArgumentList.Add(argument);
        if (environment is not null)
            foreach (var (name, value) in environment) start.Environment[name] = value;
        using Process process = Process.Start(start) ?? throw new InvalidOperationException("node did not start");
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        if (stdin is not null) await process.StandardInput.WriteAsync(stdin).ConfigureAwait(false);
        process.StandardInput.Close();
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromMinutes(2));
        try
        {
            await process.WaitForExitAsync(cts.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"node {string.Join(' ', arguments)} did not finish in time: {await stderr.ConfigureAwait(false)}");
        }
        return new Result(process.ExitCode, await stdout.ConfigureAwait(false), await stderr.ConfigureAwait(false));
    }
}
