namespace Keystore.LocalNear.Runtime;

/// <summary>The block receipts are being executed in: what <c>block_index</c>/<c>block_timestamp</c> return.</summary>
internal sealed record BlockContext(ulong Height, byte[] Hash, ulong TimestampNanos)
{
    /// <summary>The local chain has no validators; epochs are counted as NEAR mainnet's 43 200 blocks.</summary>
    public ulong EpochHeight => Height / 43_200 + 1;
}
