using System.Security.Cryptography;

namespace Keystore.Export;

/// <summary>
/// ASCII text with secrets in it (a mnemonic, private keys), built in one pinned buffer that grows by
/// copying and wipes every buffer it leaves behind, and the last one on <see cref="Dispose"/>. Strings
/// cannot be wiped, so export plaintext never becomes one.
/// </summary>
public sealed class SecretText : IDisposable
{
    private byte[] _buffer;
    private int _length;

    public SecretText(int capacity = 1024) => _buffer = GC.AllocateArray<byte>(Math.Max(16, capacity), pinned: true);

    public ReadOnlySpan<byte> Bytes => _buffer.AsSpan(0, _length);

    public int Length => _length;

    /// <summary>Appends text that holds no secret (field names, paths, addresses).</summary>
    public SecretText Append(string ascii)
    {
        Span<byte> target = Reserve(ascii.Length);
        for (int i = 0; i < ascii.Length; i++)
        {
            if (ascii[i] > 0x7f) throw new ArgumentException("Export text is ASCII.", nameof(ascii));
            target[i] = (byte)ascii[i];
        }
        return this;
    }

    /// <summary>Appends ASCII bytes, typically secret ones, copied from a buffer the caller wipes.</summary>
    public SecretText Append(ReadOnlySpan<byte> ascii)
    {
        ascii.CopyTo(Reserve(ascii.Length));
        return this;
    }

    /// <summary>Appends <paramref name="bytes"/> as lower-case hexadecimal, without a string in between.</summary>
    public SecretText AppendHex(ReadOnlySpan<byte> bytes)
    {
        Span<byte> target = Reserve(bytes.Length * 2);
        for (int i = 0; i < bytes.Length; i++)
        {
            target[2 * i] = HexDigit(bytes[i] >> 4);
            target[2 * i + 1] = HexDigit(bytes[i] & 0xf);
        }
        return this;
    }

    /// <summary>Space for <paramref name="count"/> more bytes, returned for the caller to fill.</summary>
    public Span<byte> Reserve(int count)
    {
        if (_length + count > _buffer.Length)
        {
            byte[] larger = GC.AllocateArray<byte>(Math.Max(_buffer.Length * 2, _length + count), pinned: true);
            _buffer.AsSpan(0, _length).CopyTo(larger);
            CryptographicOperations.ZeroMemory(_buffer);
            _buffer = larger;
        }
        Span<byte> reserved = _buffer.AsSpan(_length, count);
        _length += count;
        return reserved;
    }

    /// <summary>Gives back the unused tail of the last <see cref="Reserve"/>, wiping it.</summary>
    public void Shrink(int count)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, _length);
        CryptographicOperations.ZeroMemory(_buffer.AsSpan(_length - count, count));
        _length -= count;
    }

    public void Dispose()
    {
        CryptographicOperations.ZeroMemory(_buffer);
        _length = 0;
    }

    public override string ToString() => $"SecretText({_length} bytes, [redacted])";

    // Branch-free in the nibble, as key bytes go through here.
    private static byte HexDigit(int nibble) => (byte)(nibble + '0' + (((9 - nibble) >> 31) & ('a' - '0' - 10)));
}
