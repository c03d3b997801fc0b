using System.Globalization;
using System.Text.Json;
using Keystore.Auth;
using Keystore.Near.Encoding;
using Keystore.Problems;

namespace Keystore.Api;

/// <summary>Checks shared by every route: account ids and key indices.</summary>
public static class RequestValidation
{
    /// <summary>Indices stay below 2^31 so every chain can use them, hardened (Solana) or not.</summary>
    public const uint MaxIndex = Chains.DerivationPath.HardenedOffset - 1;

    public static void Account(string account)
    {
        if (!AccountId.IsValid(account))
            throw new ProblemException(ProblemTypes.InvalidAccount,
                "An account id is 2–64 characters of a–z, 0–9 and single '.', '-' or '_' separators between them.");
    }

    public static uint IndexFromQuery(string? text)
    {
        if (string.IsNullOrEmpty(text)) return 0;
        if (text.Length > 10 || !text.All(char.IsAsciiDigit)
            || !uint.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out uint index) || index > MaxIndex)
            throw InvalidIndex();
        return index;
    }

    public static uint IndexFromBody(JsonElement body)
    {
        if (!body.TryGetProperty("index", out JsonElement element) || element.ValueKind == JsonValueKind.Null)
            return 0;
        if (element.ValueKind != JsonValueKind.Number || !element.TryGetUInt32(out uint index) || index > MaxIndex)
            throw InvalidIndex();
        return index;
    }

    private static ProblemException InvalidIndex() =>
        new(ProblemTypes.InvalidIndex, $"index must be an integer from 0 to {MaxIndex}.");
}
