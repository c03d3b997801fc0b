namespace Keystore.Chains.Bitcoin;

/// <summary>One PSBT key-value pair. <see cref="Key"/> starts with the key type (a CompactSize) and holds any key data.</summary>
public sealed record PsbtEntry(byte[] Key, byte[] Value)
{
    /// <summary>The key type, or -1 when it does not fit a byte (such types are kept as unknown).</summary>
    public int KeyType => Key[0] < 0xfd ? Key[0] : -1;

    /// <summary>The key data after a one-byte key type.</summary>
    public ReadOnlySpan<byte> KeyData => Key.AsSpan(1);
}
