namespace Keystore.Chains.Solana;

/// <summary>
/// Solana's "shortvec" length: 7 bits per byte, little-endian, at most 3 bytes and 0xffff. Like the
/// Solana runtime, non-minimal encodings are rejected, so each value has one encoding.
/// </summary>
public static class CompactU16
{
    public static bool TryRead(ReadOnlySpan<byte> data, ref int offset, out int value)
    {
        value = 0;
        for (int i = 0; i < 3; i++)
        {
            if (offset >= data.Length) return false;
            byte b = data[offset++];
            value |= (b & 0x7f) << (7 * i);
            if ((b & 0x80) == 0)
            {
                // A zero final byte after the first is a redundant encoding; a third byte carries at most 2 bits.
                if (i > 0 && b == 0) return false;
                return i < 2 || b <= 0x03;
            }
        }
        return false;
    }
}
