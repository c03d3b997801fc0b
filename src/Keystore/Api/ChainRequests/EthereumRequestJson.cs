using System.Globalization;
using System.Numerics;
using System.Text.Json;

using Keystore.Chains;
using Keystore.Chains.Ethereum;

namespace Keystore.Api.ChainRequests;

/// <summary>
/// Strict readers for Ethereum JSON-RPC values. Quantities follow the JSON-RPC QUANTITY rules:
/// <list type="bullet">
/// <item><c>0x</c> hex with at least one digit and no leading zeros (<c>0x0</c> is zero; <c>0x</c>, <c>0x01</c> rejected);</item>
/// <item>decimal strings of digits without sign or leading zeros;</item>
/// <item>JSON numbers only when they are non-negative integers ≤ 2^53 − 1 (larger numbers may
/// already have lost precision in the client's JSON encoder);</item>
/// <item>never negative, fractional or wider than the field allows (256 bits; 64 for nonce and gas).</item>
/// </list>
/// Data is <c>0x</c> + an even number of hex digits.
/// </summary>
internal static class EthereumRequestJson
{
    private const long MaxSafeInteger = (1L << 53) - 1;

    public static BigInteger Quantity(JsonElement value, string field, ChainError problem, int maxBits = 256)
    {
        BigInteger result;
        switch (value.ValueKind)
        {
            case JsonValueKind.Number:
                if (!value.TryGetInt64(out long n) || n < 0 || n > MaxSafeInteger)
                    throw new ChainRequestException(problem, $"'{field}' must be a non-negative safe integer (≤ 2^53-1) when given as a JSON number; use a 0x hex string for larger values.");
                result = n;
                break;
            case JsonValueKind.String:
                result = ParseQuantityString(value.GetString()!, field, problem);
                break;
            default:
                throw new ChainRequestException(problem, $"'{field}' must be a quantity (0x hex or decimal string), not {value.ValueKind}.");
        }
        if (result.GetBitLength() > maxBits)
            throw new ChainRequestException(problem, $"'{field}' exceeds {maxBits} bits.");
        return result;
    }

    private static BigInteger ParseQuantityString(string text, string field, ChainError problem)
    {
        if (text.StartsWith("0x", StringComparison.Ordinal) || text.StartsWith("0X", StringComparison.Ordinal))
        {
            var hex = text.AsSpan(2);
            if (hex.Length == 0 || hex.Length > 64 + 1 || !IsHex(hex))
                throw new ChainRequestException(problem, $"'{field}' is not a valid hex quantity.");
            if (hex.Length > 1 && hex[0] == '0')
                throw new ChainRequestException(problem, $"'{field}' has leading zeros; hex quantities are minimal (e.g. 0x1, 0x0).");
            // Up to 64 bits (nonce, gas, fees: nearly every quantity) without a string copy; the "0" in front of the wide form
            // keeps a leading digit ≥ 8 from reading as a negative two's complement number.
            return hex.Length <= 16
                ? ulong.Parse(hex, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture)
                : BigInteger.Parse("0" + hex.ToString(), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture);
        }
        if (text.Length == 0 || text.Length > 78 || !text.All(char.IsAsciiDigit))
            throw new ChainRequestException(problem, $"'{field}' must be a non-negative integer (0x hex or decimal digits).");
        if (text.Length > 1 && text[0] == '0')
            throw new ChainRequestException(problem, $"'{field}' has leading zeros.");
        return text.Length <= 19
            ? ulong.Parse(text, NumberStyles.None, CultureInfo.InvariantCulture)
            : BigInteger.Parse(text, NumberStyles.None, CultureInfo.InvariantCulture);
    }

    public static byte[] Data(JsonElement value, string field, ChainError problem)
    {
        if (value.ValueKind != JsonValueKind.String || !TryParseHexData(value.GetString()!, out var bytes))
            throw new ChainRequestException(problem, $"'{field}' must be 0x-prefixed hex with an even number of digits.");
        return bytes;
    }

    public static bool TryParseHexData(string text, out byte[] bytes)
    {
        bytes = [];
        if (!text.StartsWith("0x", StringComparison.Ordinal)) return false;
        var hex = text.AsSpan(2);
        if (hex.Length % 2 != 0 || !IsHex(hex)) return false;
        bytes = Convert.FromHexString(hex);
        return true;
    }

    public static byte[] Address(JsonElement value, string field, ChainError problem)
    {
        if (value.ValueKind != JsonValueKind.String || !EthereumAddress.TryParse(value.GetString()!, out var address))
            throw new ChainRequestException(problem, $"'{field}' must be a 20-byte 0x address (mixed case must be a valid EIP-55 checksum).");
        return address;
    }

    public static string Hex(ReadOnlySpan<byte> bytes) => "0x" + Convert.ToHexStringLower(bytes);

    private static bool IsHex(ReadOnlySpan<char> text)
    {
        foreach (char c in text)
            if (!char.IsAsciiHexDigit(c)) return false;
        return true;
    }
}
