namespace Keystore.TestSupport.Node;

/// <summary>How a Node program ended: its exit code and everything it printed.</summary>
public sealed record NodeResult(int ExitCode, string StdOut, string StdErr);
