namespace Keystore.Near.Rpc;

/// <summary>A view call's result and the block it was read at (so a caller can tell a node that fell behind).</summary>
public sealed record FunctionView(byte[] Result, ulong BlockHeight, string BlockHash);
