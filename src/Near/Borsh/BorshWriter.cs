using System.Buffers.Binary;
using System.Numerics;
using System.Text;

namespace Keystore.Near.Borsh;

/// <summary>Minimal borsh encoder: little-endian integers, u32-length-prefixed strings and vectors.</summary>
public sealed class BorshWriter
{
    private readonly MemoryStream _stream = new();

    public BorshWriter U8(byte value) { _stream.WriteByte(value); return this; }

    public BorshWriter U32(uint value)
    {
        Span<byte> b = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(b, value);
        _stream.Write(b);
        return this;
    }

    public BorshWriter U64(ulong value)
    {
        Span<byte> b = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(b, value);
        _stream.Write(b);
        return this;
    }

    public BorshWriter U128(UInt128 value)
    {
        Span<byte> b = stackalloc byte[16];
        BinaryPrimitives.WriteUInt128LittleEndian(b, value);
        _stream.Write(b);
        return this;
    }

    public BorshWriter Bool(bool value) => U8(value ? (byte)1 : (byte)0);

    /// <summary>Fixed-size array: raw bytes, no length prefix.</summary>
    public BorshWriter Fixed(ReadOnlySpan<byte> bytes) { _stream.Write(bytes); return this; }

    /// <summary>Vec&lt;u8&gt;: u32 length then bytes.</summary>
    public BorshWriter Bytes(ReadOnlySpan<byte> bytes)
    {
        U32((uint)bytes.Length);
        _stream.Write(bytes);
        return this;
    }

    public BorshWriter String(string value) => Bytes(System.Text.Encoding.UTF8.GetBytes(value));

    public BorshWriter Option<T>(T? value, Action<BorshWriter, T> write) where T : class
    {
        if (value is null) return U8(0);
        U8(1);
        write(this, value);
        return this;
    }

    public BorshWriter OptionU128(UInt128? value)
    {
        if (value is null) return U8(0);
        return U8(1).U128(value.Value);
    }

    public BorshWriter Vec<T>(IReadOnlyList<T> items, Action<BorshWriter, T> write)
    {
        U32((uint)items.Count);
        foreach (var item in items) write(this, item);
        return this;
    }

    public byte[] ToArray() => _stream.ToArray();
}
