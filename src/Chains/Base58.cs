namespace Keystore.Chains;

/// <summary>
/// Base58 with the Bitcoin alphabet (draft-msporny-base58): Solana addresses and signatures, NEAR key text.
/// Leading zero bytes are leading '1's; everything else is the big-endian number in base 58.
/// </summary>
public static class Base58
{
    private const string Alphabet = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
    private static readonly sbyte[] DigitOf = BuildDigitTable();

    public static string Encode(ReadOnlySpan<byte> data)
    {
        int zeros = 0;
        while (zeros < data.Length && data[zeros] == 0) zeros++;
        // log(256) / log(58) < 1.37 digits per byte; the rest are little-endian base-58 digits.
        int capacity = (data.Length - zeros) * 137 / 100 + 1;
        Span<byte> digits = capacity <= 256 ? stackalloc byte[capacity] : new byte[capacity];
        int length = 0;
        foreach (byte b in data[zeros..])
        {
            int carry = b;
            for (int i = 0; i < length; i++)
            {
                carry += digits[i] << 8;
                digits[i] = (byte)(carry % 58);
                carry /= 58;
            }
            while (carry > 0)
            {
                digits[length++] = (byte)(carry % 58);
                carry /= 58;
            }
        }
        return Build(zeros, digits[..length]);
    }

    private static string Build(int zeros, ReadOnlySpan<byte> littleEndianDigits)
    {
        var chars = new char[zeros + littleEndianDigits.Length];
        chars.AsSpan(0, zeros).Fill('1');
        for (int i = 0; i < littleEndianDigits.Length; i++)
            chars[zeros + i] = Alphabet[littleEndianDigits[littleEndianDigits.Length - 1 - i]];
        return new string(chars);
    }

    /// <exception cref="FormatException">A character outside the alphabet.</exception>
    public static byte[] Decode(string text) =>
        TryDecode(text, out byte[] bytes) ? bytes : throw new FormatException("Not a base58 string.");

    /// <summary>False (and no bytes) for null or a character outside the alphabet.</summary>
    public static bool TryDecode(string? text, out byte[] bytes)
    {
        bytes = [];
        if (text is null) return false;
        int ones = 0;
        while (ones < text.Length && text[ones] == '1') ones++;
        // log(58) / log(256) < 0.733 bytes per digit; little-endian bytes.
        int capacity = (text.Length - ones) * 733 / 1000 + 1;
        Span<byte> number = capacity <= 256 ? stackalloc byte[capacity] : new byte[capacity];
        int length = 0;
        foreach (char c in text.AsSpan(ones))
        {
            int carry = c < 128 ? DigitOf[c] : -1;
            if (carry < 0) return false;
            for (int i = 0; i < length; i++)
            {
                carry += number[i] * 58;
                number[i] = (byte)carry;
                carry >>= 8;
            }
            while (carry > 0)
            {
                number[length++] = (byte)carry;
                carry >>= 8;
            }
        }
        bytes = new byte[ones + length];
        for (int i = 0; i < length; i++) bytes[ones + i] = number[length - 1 - i];
        return true;
    }

    private static sbyte[] BuildDigitTable()
    {
        var table = new sbyte[128];
        Array.Fill(table, (sbyte)-1);
        for (int i = 0; i < Alphabet.Length; i++) table[Alphabet[i]] = (sbyte)i;
        return table;
    }
}
