using System.Buffers;
using System.Buffers.Binary;

namespace Keystore.Chains.Bitcoin;

/// <summary>Writes Bitcoin's little-endian wire encodings into a growing buffer.</summary>
internal sealed class BitcoinWriter
{
    private readonly ArrayBufferWriter<byte> _buffer;

    public BitcoinWriter(int capacity = 256) => _buffer = new ArrayBufferWriter<byte>(capacity);

    public ReadOnlySpan<byte> Written => _buffer.WrittenSpan;

    public byte[] ToArray() => _buffer.WrittenSpan.ToArray();

    public void WriteBytes(ReadOnlySpan<byte> data) => _buffer.Write(data);

    public void WriteByte(byte value) => _buffer.Write([value]);

    public void WriteUInt32(uint value)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(_buffer.GetSpan(4), value);
        _buffer.Advance(4);
    }

    public void WriteInt64(long value)
    {
        BinaryPrimitives.WriteInt64LittleEndian(_buffer.GetSpan(8), value);
        _buffer.Advance(8);
    }

    public void WriteCompactSize(ulong value)
    {
        var span = _buffer.GetSpan(9);
        int written;
        if (value < 0xfd) { span[0] = (byte)value; written = 1; }
        else if (value <= 0xffff) { span[0] = 0xfd; BinaryPrimitives.WriteUInt16LittleEndian(span[1..], (ushort)value); written = 3; }
        else if (value <= 0xffff_ffff) { span[0] = 0xfe; BinaryPrimitives.WriteUInt32LittleEndian(span[1..], (uint)value); written = 5; }
        else { span[0] = 0xff; BinaryPrimitives.WriteUInt64LittleEndian(span[1..], value); written = 9; }
        _buffer.Advance(written);
    }

    public void WriteVarBytes(ReadOnlySpan<byte> data)
    {
        WriteCompactSize((ulong)data.Length);
        WriteBytes(data);
    }
}
