using System.ComponentModel;
using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using Keystore.TestSupport.Repository;

namespace Keystore.TestSupport.Node;

/// <summary>
/// Runs Node programs in tests/oracles: independent implementations reading JSON on stdin and printing JSON,
/// or npm CLIs such as near-cli. One policy for every test project: a missing node or npm install, a non-zero
/// exit or a run past <see cref="DefaultTimeout"/> fails the test with the program's stderr (never a skip).
/// </summary>
public static class NodeOracle
{
    /// <summary>Generous: the oracles load large npm packages, and the machine may be busy with other suites.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromMinutes(2);

    /// <summary>Runs <c>tests/oracles/&lt;script&gt;</c> with <paramref name="input"/> on stdin; returns its JSON output.</summary>
    public static async Task<JsonNode> RunAsync(string script, JsonNode input, TimeSpan? timeout = null)
    {
        NodeResult result = await RunProcessAsync([Path.Combine(RepoPaths.Oracles, script)], input.ToJsonString(), null, timeout).ConfigureAwait(false);
        if (result.ExitCode != 0)
            throw new InvalidOperationException($"node {script} failed ({result.ExitCode}): {result.StdErr}\n{result.StdOut}");
        return JsonNode.Parse(result.StdOut) ?? throw new JsonException($"node {script} printed nothing");
    }

    /// <summary>The same, for an input of any serializable shape, for synchronous tests.</summary>
    public static JsonNode Run(string script, object input) =>
        RunAsync(script, JsonSerializer.SerializeToNode(input) ?? new JsonObject()).GetAwaiter().GetResult();

    /// <summary>Runs <c>node &lt;arguments&gt;</c> in tests/oracles with extra environment variables; the caller judges the exit code.</summary>
    public static async Task<NodeResult> RunProcessAsync(IReadOnlyList<string> arguments, string? stdin,
        IReadOnlyDictionary<string, string>? environment, TimeSpan? timeout = null)
    {
        var start = new ProcessStartInfo("node")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = RepoPaths.Oracles,
        };
        foreach (string argument in arguments) start.ArgumentList.Add(argument);
        if (environment is not null)
            foreach (var (name, value) in environment) start.Environment[name] = value;
        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException("node did not start");
        }
        catch (Win32Exception e)
        {
            throw new InvalidOperationException("Node.js is required by the oracle tests and could not be started: " + e.Message, e);
        }
        using (process)
        {
            Task<string> stdout = process.StandardOutput.ReadToEndAsync();
            Task<string> stderr = process.StandardError.ReadToEndAsync();
            if (stdin is not null) await process.StandardInput.WriteAsync(stdin).ConfigureAwait(false);
            process.StandardInput.Close();
            using var cts = new CancellationTokenSource(timeout ?? DefaultTimeout);
            try
            {
                await process.WaitForExitAsync(cts.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                throw new TimeoutException($"node {string.Join(' ', arguments)} did not finish in time: {await stderr.ConfigureAwait(false)}");
            }
            return new NodeResult(process.ExitCode, await stdout.ConfigureAwait(false), await stderr.ConfigureAwait(false));
        }
    }
}
