using System.Buffers.Binary;

namespace Keystore.Chains.Bitcoin;

/// <summary>
/// The BIP174 checks NBitcoin's PSBT reader leaves out: it takes the first of two entries with the same key in some
/// maps and ignores bytes after the last output map. Walks the raw key-value maps once, without interpreting them.
/// </summary>
internal static class PsbtLayout
{
    private const int MagicLength = 5;

    /// <summary>Null when <paramref name="data"/> is exactly <c>1 + inputs + outputs</c> maps with unique keys; else why not.</summary>
    public static string? Check(ReadOnlySpan<byte> data, int inputs, int outputs)
    {
        int position = MagicLength;
        int maps = 1 + inputs + outputs;
        var keys = new HashSet<string>(StringComparer.Ordinal);
        for (int map = 0; map < maps; map++)
        {
            keys.Clear();
            while (true)
            {
                if (!TryReadLength(data, ref position, out int keyLength)) return "A PSBT map is not terminated.";
                if (keyLength == 0) break;
                var key = data.Slice(position, keyLength);
                position += keyLength;
                if (!keys.Add(Convert.ToHexString(key))) return $"Duplicate key of type 0x{key[0]:x2}.";
                if (!TryReadLength(data, ref position, out int valueLength)) return "A PSBT value is truncated.";
                position += valueLength;
            }
        }
        return position == data.Length ? null : "Trailing bytes after the last output map.";
    }

    /// <summary>A minimally encoded compact size that fits in what is left of <paramref name="data"/>.</summary>
    private static bool TryReadLength(ReadOnlySpan<byte> data, ref int position, out int length)
    {
        length = 0;
        if (position >= data.Length) return false;
        byte first = data[position++];
        ulong value;
        int size = first switch { 0xfd => 2, 0xfe => 4, 0xff => 8, _ => 0 };
        if (data.Length - position < size) return false;
        var rest = data.Slice(position, size);
        value = size switch
        {
            0 => first,
            2 => BinaryPrimitives.ReadUInt16LittleEndian(rest),
            4 => BinaryPrimitives.ReadUInt32LittleEndian(rest),
            _ => BinaryPrimitives.ReadUInt64LittleEndian(rest),
        };
        position += size;
        ulong minimum = size switch { 0 => 0, 2 => 0xfd, 4 => 0x1_0000, _ => 0x1_0000_0000 };
        if (value < minimum || value > (ulong)(data.Length - position)) return false;
        length = (int)value;
        return true;
    }
}
