using System.Numerics;

namespace Keystore.Chains.Ethereum;

/// <summary>
/// Recursive Length Prefix encoding (Ethereum yellow paper, appendix B), writing into a buffer.
/// Lists are encoded by writing their items first and then inserting the header, so callers build
/// nested structures with <see cref="BeginList"/> / <see cref="EndList"/> without temporary arrays.
/// </summary>
public sealed class Rlp
{
    private byte[] _data = new byte[256];
    private int _count;
    private readonly Stack<int> _lists = new();

    public void BeginList() => _lists.Push(_count);

    public void EndList()
    {
        int start = _lists.Pop();
        int payload = _count - start;
        Span<byte> header = stackalloc byte[9];
        int headerLength = WriteHeader(header, payload, 0xc0);
        // Shift the payload right to make room for the header (payloads here are small).
        Reserve(headerLength);
        _data.AsSpan(start, payload).CopyTo(_data.AsSpan(start + headerLength));
        header[..headerLength].CopyTo(_data.AsSpan(start));
        _count += headerLength;
    }

    public void WriteBytes(ReadOnlySpan<byte> value)
    {
        if (value.Length == 1 && value[0] < 0x80)
        {
            Append(value);
            return;
        }
        Span<byte> header = stackalloc byte[9];
        Append(header[..WriteHeader(header, value.Length, 0x80)]);
        Append(value);
    }

    /// <summary>A non-negative integer as its minimal big-endian bytes (zero is the empty string).</summary>
    public void WriteInteger(BigInteger value)
    {
        if (value.Sign < 0) throw new ArgumentOutOfRangeException(nameof(value), "RLP integers are non-negative.");
        if (value.IsZero)
        {
            WriteBytes([]);
            return;
        }
        Span<byte> bytes = stackalloc byte[value.GetByteCount(isUnsigned: true)];
        value.TryWriteBytes(bytes, out _, isUnsigned: true, isBigEndian: true);
        WriteBytes(bytes);
    }

    /// <summary>A big-endian unsigned integer given as bytes, leading zeros stripped (r and s of a signature).</summary>
    public void WriteUnsignedBigEndian(ReadOnlySpan<byte> value)
    {
        int i = 0;
        while (i < value.Length && value[i] == 0) i++;
        WriteBytes(value[i..]);
    }

    public void WriteRaw(ReadOnlySpan<byte> encoded) => Append(encoded);

    public ReadOnlySpan<byte> Written
    {
        get
        {
            if (_lists.Count != 0) throw new InvalidOperationException("An RLP list is still open.");
            return _data.AsSpan(0, _count);
        }
    }

    public byte[] ToArray() => Written.ToArray();

    private void Append(ReadOnlySpan<byte> data)
    {
        Reserve(data.Length);
        data.CopyTo(_data.AsSpan(_count));
        _count += data.Length;
    }

    private void Reserve(int extra)
    {
        if (_count + extra > _data.Length) Array.Resize(ref _data, Math.Max(_data.Length * 2, _count + extra));
    }

    private static int WriteHeader(Span<byte> header, int length, byte offset)
    {
        if (length < 56)
        {
            header[0] = (byte)(offset + length);
            return 1;
        }
        int lengthBytes = 0;
        for (int l = length; l > 0; l >>= 8) lengthBytes++;
        header[0] = (byte)(offset + 55 + lengthBytes);
        for (int i = lengthBytes, l = length; i > 0; i--, l >>= 8) header[i] = (byte)l;
        return 1 + lengthBytes;
    }
}
