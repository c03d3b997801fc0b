using System.Diagnostics;

namespace Keystore.TestSupport.Processes;

/// <summary>
/// Runs a tool as a user would (bash, npm) to its end within a time limit: its output captured, the whole process tree
/// killed past the limit so a hung tool fails its test instead of the run.
/// </summary>
public static class TimedProcess
{
    /// <param name="what">What ran, for the timeout's message.</param>
    public static async Task<TimedProcessResult> RunAsync(ProcessStartInfo start, TimeSpan timeout, string what)
    {
        ArgumentNullException.ThrowIfNull(start);
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        using Process process = Process.Start(start) ?? throw new InvalidOperationException($"{start.FileName} did not start.");
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cancel.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{what} did not finish in {timeout.TotalMinutes:0} minutes: {await stderr.ConfigureAwait(false)}");
        }
        return new TimedProcessResult(process.ExitCode, await stdout.ConfigureAwait(false), await stderr.ConfigureAwait(false));
    }
}

/// <summary>How a tool ended: its exit code and what it printed.</summary>
public sealed record TimedProcessResult(int ExitCode, string StdOut, string StdErr)
{
    /// <summary>Both streams, for an assertion's message.</summary>
    public string Output => StdOut + StdErr;
}
