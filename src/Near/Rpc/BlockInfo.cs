namespace Keystore.Near.Rpc;

/// <summary>The parts of a block header a transaction needs.</summary>
public sealed record BlockInfo(string Hash, ulong Height, DateTimeOffset Timestamp);
