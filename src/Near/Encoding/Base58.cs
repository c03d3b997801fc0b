using System.Numerics;

namespace Keystore.Near.Encoding;

/// <summary>Base58 with the Bitcoin alphabet, as NEAR uses for keys, hashes and signatures.</summary>
public static class Base58
{
    private const string Alphabet = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
    private static readonly sbyte[] Index = BuildIndex();

    private static sbyte[] BuildIndex()
    {
        var index = new sbyte[128];
        Array.Fill(index, (sbyte)-1);
        for (int i = 0; i < Alphabet.Length; i++) index[Alphabet[i]] = (sbyte)i;
        return index;
    }

    public static string Encode(ReadOnlySpan<byte> data)
    {
        int zeros = 0;
        while (zeros < data.Length && data[zeros] == 0) zeros++;
        // Worst case size: log(256)/log(58) ≈ 1.37 digits per byte.
        var digits = new byte[data.Length * 138 / 100 + 1];
        int length = 0;
        for (int i = zeros; i < data.Length; i++)
        {
            int carry = data[i];
            int j = 0;
            for (int k = digits.Length - 1; (carry != 0 || j < length) && k >= 0; k--, j++)
            {
                carry += 256 * digits[k];
                digits[k] = (byte)(carry % 58);
                carry /= 58;
            }
            length = j;
        }
        int start = digits.Length - length;
        var chars = new char[zeros + length];
        for (int i = 0; i < zeros; i++) chars[i] = '1';
        for (int i = 0; i < length; i++) chars[zeros + i] = Alphabet[digits[start + i]];
        return new string(chars);
    }

    public static byte[] Decode(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (!TryDecode(text, out var bytes)) throw new FormatException("Invalid base58 string.");
        return bytes;
    }

    public static bool TryDecode(string? text, out byte[] bytes)
    {
        bytes = [];
        if (text is null) return false;
        int zeros = 0;
        while (zeros < text.Length && text[zeros] == '1') zeros++;
        var b256 = new byte[text.Length * 733 / 1000 + 1];
        int length = 0;
        for (int i = zeros; i < text.Length; i++)
        {
            char c = text[i];
            if (c >= 128 || Index[c] < 0) return false;
            int carry = Index[c];
            int j = 0;
            for (int k = b256.Length - 1; (carry != 0 || j < length) && k >= 0; k--, j++)
            {
                carry += 58 * b256[k];
                b256[k] = (byte)(carry & 0xff);
                carry >>= 8;
            }
            length = j;
        }
        bytes = new byte[zeros + length];
        Array.Copy(b256, b256.Length - length, bytes, zeros, length);
        return true;
    }
}
