using System.Buffers.Binary;

namespace Keystore.Chains.Bitcoin;

/// <summary>
/// Reads Bitcoin's little-endian wire encodings. Throws <see cref="FormatException"/> on truncation
/// or on a non-canonical CompactSize (Bitcoin Core rejects those too).
/// </summary>
internal ref struct BitcoinReader(ReadOnlySpan<byte> data)
{
    private readonly ReadOnlySpan<byte> _data = data;

    public int Position { get; private set; }

    public readonly int Remaining => _data.Length - Position;

    public ReadOnlySpan<byte> ReadBytes(int count)
    {
        if (count < 0 || count > Remaining) throw new FormatException("Unexpected end of data.");
        var slice = _data.Slice(Position, count);
        Position += count;
        return slice;
    }

    public byte ReadByte() => ReadBytes(1)[0];

    public uint ReadUInt32() => BinaryPrimitives.ReadUInt32LittleEndian(ReadBytes(4));

    public long ReadInt64() => BinaryPrimitives.ReadInt64LittleEndian(ReadBytes(8));

    public ulong ReadCompactSize()
    {
        byte first = ReadByte();
        ulong value;
        ulong minimum;
        switch (first)
        {
            case < 0xfd: return first;
            case 0xfd: value = BinaryPrimitives.ReadUInt16LittleEndian(ReadBytes(2)); minimum = 0xfd; break;
            case 0xfe: value = BinaryPrimitives.ReadUInt32LittleEndian(ReadBytes(4)); minimum = 0x1_0000; break;
            default: value = BinaryPrimitives.ReadUInt64LittleEndian(ReadBytes(8)); minimum = 0x1_0000_0000; break;
        }
        if (value < minimum) throw new FormatException("Non-canonical CompactSize.");
        return value;
    }

    /// <summary>A CompactSize used as a length or count; it cannot exceed what is left to read.</summary>
    public int ReadLength()
    {
        ulong length = ReadCompactSize();
        if (length > (ulong)Remaining) throw new FormatException("A length exceeds the data.");
        return (int)length;
    }

    /// <summary>CompactSize length followed by that many bytes.</summary>
    public ReadOnlySpan<byte> ReadVarBytes() => ReadBytes(ReadLength());
}
