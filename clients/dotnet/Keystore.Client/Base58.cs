using System.Numerics;

namespace Keystore.Client;

/// <summary>Bitcoin-alphabet base58, as NEAR writes keys. Small inputs only (keys and signatures).</summary>
internal static class Base58
{
    private const string Alphabet = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";

    public static string Encode(ReadOnlySpan<byte> data)
    {
        int zeros = 0;
        while (zeros < data.Length && data[zeros] == 0) zeros++;
        var value = new BigInteger(data, isUnsigned: true, isBigEndian: true);
        var chars = new List<char>();
        while (value > 0)
        {
            value = BigInteger.DivRem(value, 58, out BigInteger remainder);
            chars.Add(Alphabet[(int)remainder]);
        }
        chars.AddRange(Enumerable.Repeat('1', zeros));
        chars.Reverse();
        return new string([.. chars]);
    }

    public static byte[] Decode(string text)
    {
        BigInteger value = BigInteger.Zero;
        foreach (char c in text)
        {
            int digit = Alphabet.IndexOf(c, StringComparison.Ordinal);
            if (digit < 0) throw new FormatException("Not base58.");
            value = value * 58 + digit;
        }
        int zeros = text.TakeWhile(c => c == '1').Count();
        byte[] body = value.IsZero ? [] : value.ToByteArray(isUnsigned: true, isBigEndian: true);
        return [.. new byte[zeros], .. body];
    }
}
