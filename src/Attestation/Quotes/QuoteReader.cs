using System.Buffers.Binary;

namespace Keystore.Attestation.Quotes;

/// <summary>
/// Bounds-checked little-endian cursor over quote bytes. Every read names the field it reads so a
/// short or malformed quote fails with a <see cref="QuoteParseException"/> instead of an index error.
/// </summary>
internal ref struct QuoteReader(ReadOnlySpan<byte> data)
{
    private readonly ReadOnlySpan<byte> _data = data;

    public int Position { get; private set; }

    public readonly int Remaining => _data.Length - Position;

    public ReadOnlySpan<byte> Take(int length, string field)
    {
        if (length < 0 || length > Remaining)
            throw new QuoteParseException(field, $"needs {length} bytes at offset {Position}, only {Remaining} left");
        var slice = _data.Slice(Position, length);
        Position += length;
        return slice;
    }

    public byte[] Bytes(int length, string field) => Take(length, field).ToArray();

    public ushort U16(string field) => BinaryPrimitives.ReadUInt16LittleEndian(Take(2, field));

    public uint U32(string field) => BinaryPrimitives.ReadUInt32LittleEndian(Take(4, field));
}
