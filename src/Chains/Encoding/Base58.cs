// Namespace Keystore.Chains, not .Encoding: a Keystore.Chains.Encoding namespace would shadow
// System.Text.Encoding for every file under Keystore.Chains.
namespace Keystore.Chains;

/// <summary>
/// Base58 with the Bitcoin alphabet (no checksum): NEAR public keys and Solana addresses and
/// signatures. Leading zero bytes map to leading '1's. Quadratic, which is fine for the ≤ 64-byte
/// values it encodes here.
/// </summary>
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
        // log(256)/log(58) ≈ 1.366: digits needed for the rest.
        int size = (data.Length - zeros) * 138 / 100 + 1;
        Span<byte> digits = size <= 256 ? stackalloc byte[size] : new byte[size];
        digits.Clear();
        int length = 0;
        for (int i = zeros; i < data.Length; i++)
        {
            int carry = data[i];
            int j = 0;
            for (int k = size - 1; (carry != 0 || j < length) && k >= 0; k--, j++)
            {
                carry += 256 * digits[k];
                digits[k] = (byte)(carry % 58);
                carry /= 58;
            }
            length = j;
        }
        int start = size - length;
        return Build(zeros, digits[start..]);
    }

    private static string Build(int zeros, ReadOnlySpan<byte> digits)
    {
        Span<char> chars = zeros + digits.Length <= 512 ? stackalloc char[zeros + digits.Length] : new char[zeros + digits.Length];
        chars[..zeros].Fill('1');
        for (int i = 0; i < digits.Length; i++) chars[zeros + i] = Alphabet[digits[i]];
        return new string(chars);
    }

    /// <summary>Decodes base58; false on a character outside the alphabet.</summary>
    public static bool TryDecode(string text, out byte[] data)
    {
        data = [];
        int zeros = 0;
        while (zeros < text.Length && text[zeros] == '1') zeros++;
        // log(58)/log(256) ≈ 0.733
        int size = (text.Length - zeros) * 733 / 1000 + 1;
        var bytes = new byte[size];
        int length = 0;
        for (int i = zeros; i < text.Length; i++)
        {
            char c = text[i];
            if (c >= 128 || Index[c] < 0) return false;
            int carry = Index[c];
            int j = 0;
            for (int k = size - 1; (carry != 0 || j < length) && k >= 0; k--, j++)
            {
                carry += 58 * bytes[k];
                bytes[k] = (byte)(carry & 0xff);
                carry >>= 8;
            }
            length = j;
        }
        data = new byte[zeros + length];
        bytes.AsSpan(size - length).CopyTo(data.AsSpan(zeros));
        return true;
    }

    public static byte[] Decode(string text) =>
        TryDecode(text, out var data) ? data : throw new FormatException("Not base58.");
}
