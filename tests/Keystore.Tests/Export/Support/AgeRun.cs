namespace Keystore.Tests.Export.Support;

/// <summary>One run of an age tool: exit code, raw stdout (a decrypted file is bytes) and stderr.</summary>
public sealed record AgeRun(int ExitCode, byte[] StdOut, string StdErr);
