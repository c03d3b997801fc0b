namespace Keystore.Policies.Documents;

/// <summary>
/// One spelling per address, so a policy's lists and decoded destinations compare as strings: EVM
/// addresses in lower case (EIP-55 is only a checksum), bech32 Bitcoin addresses in lower case (the format is
/// case-insensitive); base58 (Solana, legacy Bitcoin) is case-sensitive and kept.
/// </summary>
public static class PolicyAddress
{
    public static string Normalize(string address)
    {
        if (address.Length == 42 && address.StartsWith("0x", StringComparison.OrdinalIgnoreCase) && IsHex(address.AsSpan(2)))
            return address.ToLowerInvariant();
        string lower = address.ToLowerInvariant();
        if (lower.StartsWith("bc1", StringComparison.Ordinal) || lower.StartsWith("tb1", StringComparison.Ordinal) || lower.StartsWith("bcrt1", StringComparison.Ordinal))
            return lower;
        return address;
    }

    private static bool IsHex(ReadOnlySpan<char> text)
    {
        foreach (char c in text)
            if (!char.IsAsciiHexDigit(c)) return false;
        return true;
    }
}
