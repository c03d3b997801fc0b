using System.Globalization;
using System.Numerics;
using System.Text.Json;

namespace Keystore.Policies.Decoding;

/// <summary>Reads the JSON values of sign bodies the way the sign routes accept them; a value they would refuse reads as absent.</summary>
internal static class JsonQuantity
{
    private const long MaxSafeInteger = (1L << 53) - 1;

    /// <summary>An Ethereum quantity: <c>0x</c> hex, a decimal string, or a JSON integer up to 2⁵³−1; at most 256 bits.</summary>
    public static bool TryRead(JsonElement value, out BigInteger result)
    {
        result = BigInteger.Zero;
        switch (value.ValueKind)
        {
            case JsonValueKind.Number:
                if (!value.TryGetInt64(out long n) || n < 0 || n > MaxSafeInteger) return false;
                result = n;
                return true;
            case JsonValueKind.String:
                string text = value.GetString()!;
                if (text.StartsWith("0x", StringComparison.OrdinalIgnoreCase))
                {
                    ReadOnlySpan<char> hex = text.AsSpan(2);
                    if (hex.Length is 0 or > 64 || !IsHex(hex)) return false;
                    result = BigInteger.Parse("0" + hex.ToString(), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture);
                    return true;
                }
                if (text.Length is 0 or > 78 || !text.All(char.IsAsciiDigit)) return false;
                result = BigInteger.Parse(text, NumberStyles.None, CultureInfo.InvariantCulture);
                return result.GetBitLength() <= 256;
            default:
                return false;
        }
    }

    /// <summary><c>0x</c> + an even number of hex digits.</summary>
    public static bool TryReadData(JsonElement value, out byte[] bytes)
    {
        bytes = [];
        if (value.ValueKind != JsonValueKind.String) return false;
        string text = value.GetString()!;
        if (!text.StartsWith("0x", StringComparison.OrdinalIgnoreCase)) return false;
        ReadOnlySpan<char> hex = text.AsSpan(2);
        if (hex.Length % 2 != 0 || !IsHex(hex)) return false;
        bytes = Convert.FromHexString(hex);
        return true;
    }

    /// <summary>The member <paramref name="name"/> of <paramref name="body"/> unless it is absent or null, as the sign routes read it.</summary>
    public static bool TryGetMember(JsonElement body, string name, out JsonElement value) =>
        body.TryGetProperty(name, out value) && value.ValueKind != JsonValueKind.Null;

    /// <summary>A 20-byte EVM address, returned in lower case.</summary>
    public static bool TryReadAddress(JsonElement value, out string address)
    {
        address = "";
        if (value.ValueKind != JsonValueKind.String) return false;
        string text = value.GetString()!;
        if (text.Length != 42 || !text.StartsWith("0x", StringComparison.OrdinalIgnoreCase) || !IsHex(text.AsSpan(2))) return false;
        address = "0x" + text[2..].ToLowerInvariant();
        return true;
    }

    private static bool IsHex(ReadOnlySpan<char> text)
    {
        foreach (char c in text)
            if (!char.IsAsciiHexDigit(c)) return false;
        return true;
    }
}
