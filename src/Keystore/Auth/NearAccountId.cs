namespace Keystore.Auth;

/// <summary>
/// NEAR account-id rules (nearcore's <c>AccountId</c> validation): 2–64 characters of
/// <c>[a-z0-9]</c> in parts joined by single separators <c>.</c>, <c>-</c> or <c>_</c>,
/// with no separator at either end. 64-hex implicit accounts pass these rules too.
/// </summary>
public static class NearAccountId
{
    public static bool IsValid(string? accountId)
    {
        if (accountId is null || accountId.Length is < 2 or > 64)
            return false;
        bool lastWasSeparator = true; // so a leading separator fails
        foreach (char c in accountId)
        {
            if (char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c))
            {
                lastWasSeparator = false;
            }
            else if (c is '.' or '-' or '_')
            {
                if (lastWasSeparator) return false;
                lastWasSeparator = true;
            }
            else
            {
                return false;
            }
        }
        return !lastWasSeparator;
    }
}
