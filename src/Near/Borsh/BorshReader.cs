using System.Buffers.Binary;

namespace Keystore.Near.Borsh;

/// <summary>Borsh decoder over a byte buffer; throws <see cref="FormatException"/> on truncated or malformed input.</summary>
public ref struct BorshReader
{
    private readonly ReadOnlySpan<byte> _data;
    private int _offset;

    public BorshReader(ReadOnlySpan<byte> data) { _data = data; _offset = 0; }

    public readonly int Remaining => _data.Length - _offset;

    private ReadOnlySpan<byte> Take(int count)
    {
        if (count < 0 || count > Remaining) throw new FormatException("Borsh: unexpected end of input.");
        var slice = _data.Slice(_offset, count);
        _offset += count;
        return slice;
    }

    public byte U8() => Take(1)[0];
    public uint U32() => BinaryPrimitives.ReadUInt32LittleEndian(Take(4));
    public ulong U64() => BinaryPrimitives.ReadUInt64LittleEndian(Take(8));
    public UInt128 U128() => BinaryPrimitives.ReadUInt128LittleEndian(Take(16));

    public bool Bool() => U8() switch
    {
        0 => false,
        1 => true,
        var b => throw new FormatException($"Borsh: invalid bool {b}."),
    };

    public byte[] Fixed(int length) => Take(length).ToArray();

    public byte[] Bytes()
    {
        uint length = U32();
        if (length > Remaining) throw new FormatException("Borsh: length exceeds input.");
        return Take((int)length).ToArray();
    }

    public string String()
    {
        var bytes = Bytes();
        try
        {
            return new System.Text.UTF8Encoding(false, true).GetString(bytes);
        }
        catch (System.Text.DecoderFallbackException e)
        {
            throw new FormatException("Borsh: string is not valid UTF-8.", e);
        }
    }

    public bool OptionTag() => U8() switch
    {
        0 => false,
        1 => true,
        var b => throw new FormatException($"Borsh: invalid option tag {b}."),
    };

    public readonly void EnsureEnd()
    {
        if (Remaining != 0) throw new FormatException($"Borsh: {Remaining} trailing bytes.");
    }
}
