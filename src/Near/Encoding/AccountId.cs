using System.Diagnostics.CodeAnalysis;

namespace Keystore.Near.Encoding;

/// <summary>
/// A validated NEAR account id. Rules follow nearcore's <c>AccountId</c> validation: 2–64 chars,
/// lowercase alphanumerics in parts separated by <c>.</c>, <c>-</c> or <c>_</c>, with no separator at
/// either end and never two separators in a row.
/// </summary>
public readonly record struct AccountId : IComparable<AccountId>
{
    public const int MinLength = 2;
    public const int MaxLength = 64;

    private readonly string? _value;

    private AccountId(string value) => _value = value;

    public string Value => _value ?? throw new InvalidOperationException("Uninitialized AccountId.");

    public static AccountId Parse(string value) =>
        TryParse(value, out var id) ? id : throw new FormatException($"Invalid NEAR account id '{Truncate(value)}'.");

    public static bool TryParse([NotNullWhen(true)] string? value, out AccountId id)
    {
        id = default;
        if (!IsValid(value)) return false;
        id = new AccountId(value!);
        return true;
    }

    public static bool IsValid([NotNullWhen(true)] string? value)
    {
        if (value is null || value.Length < MinLength || value.Length > MaxLength) return false;
        bool lastWasSeparator = true; // forbids a leading separator
        foreach (char c in value)
        {
            bool alnum = c is >= 'a' and <= 'z' or >= '0' and <= '9';
            bool separator = c is '-' or '_' or '.';
            if (alnum) lastWasSeparator = false;
            else if (separator)
            {
                if (lastWasSeparator) return false;
                lastWasSeparator = true;
            }
            else return false;
        }
        return !lastWasSeparator;
    }

    /// <summary>NEAR-implicit account: 64 lowercase hex chars (hex of an ed25519 public key).</summary>
    public bool IsNearImplicit => Value.Length == 64 && Value.All(IsLowerHex);

    /// <summary>ETH-implicit account: "0x" + 40 lowercase hex chars.</summary>
    public bool IsEthImplicit => Value.Length == 42 && Value.StartsWith("0x", StringComparison.Ordinal) && Value.Skip(2).All(IsLowerHex);

    public bool IsTopLevel => !Value.Contains('.');

    /// <summary>The implicit account owned by an ed25519 public key.</summary>
    public static AccountId Implicit(Keys.Ed25519PublicKey key) => new(Convert.ToHexStringLower(key.Bytes.Span));

    public bool IsSubAccountOf(AccountId parent) =>
        Value.Length > parent.Value.Length + 1 && Value.EndsWith("." + parent.Value, StringComparison.Ordinal);

    private static bool IsLowerHex(char c) => c is >= '0' and <= '9' or >= 'a' and <= 'f';

    private static string Truncate(string? value) => value is null ? "null" : value.Length > 80 ? value[..80] + "…" : value;

    public int CompareTo(AccountId other) => string.CompareOrdinal(Value, other.Value);

    public override string ToString() => _value ?? "";

    public static implicit operator string(AccountId id) => id.Value;
}
