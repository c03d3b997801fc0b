using NSec.Cryptography;

namespace Keystore.Export;

/// <summary>
/// An age X25519 recipient (<c>age1…</c>): a Curve25519 public key in Bech32 with the human-readable part
/// <c>age</c> (age-encryption.org/v1). Parsing is strict: one case, a valid checksum, exactly 32 bytes, and
/// no low-order point, since a file wrapped to one would be readable by anyone (its shared secret is zero).
/// </summary>
public sealed class AgeRecipient
{
    public const string HumanReadablePart = "age";

    /// <summary>Long enough for any real recipient (62 characters) with room to spare; longer input is refused unread.</summary>
    private const int MaxTextLength = 200;

    private readonly byte[] _publicKey;

    private AgeRecipient(byte[] publicKey) => _publicKey = publicKey;

    /// <summary>The 32-byte X25519 public key.</summary>
    public ReadOnlySpan<byte> PublicKey => _publicKey;

    public static AgeRecipient Parse(string? text)
    {
        if (string.IsNullOrEmpty(text))
            throw new AgeRecipientException("A recipient is required: an age X25519 public key 'age1…' (age-keygen prints it).");
        if (text.Length > MaxTextLength)
            throw new AgeRecipientException($"A recipient is at most {MaxTextLength} characters; an age X25519 recipient has 62.");
        if (text.StartsWith("AGE-SECRET-KEY-", StringComparison.OrdinalIgnoreCase))
            throw new AgeRecipientException("This is an age identity (a secret key), not a recipient: send its public key, which 'age-keygen -y' prints, and keep the secret key to yourself.");
        bool upper = text.Any(char.IsAsciiLetterUpper), lower = text.Any(char.IsAsciiLetterLower);
        if (upper && lower)
            throw new AgeRecipientException("A recipient mixes upper and lower case, which Bech32 forbids.");

        (string hrp, byte[] data) = AgeBech32.Decode(text);
        if (hrp != HumanReadablePart)
            throw new AgeRecipientException(hrp.StartsWith(HumanReadablePart, StringComparison.Ordinal)
                ? $"Only age X25519 recipients ('age1…') are supported, not '{Truncate(hrp)}1…' (post-quantum, tag or plugin recipients)."
                : $"Not an age recipient: the prefix is '{Truncate(hrp)}', not 'age'.");
        if (data.Length != KeyAgreementAlgorithm.X25519.PublicKeySize)
            throw new AgeRecipientException($"An age X25519 recipient holds 32 bytes, this one {data.Length}.");
        if (IsLowOrder(data))
            throw new AgeRecipientException("The recipient is a low-order point: anyone could decrypt a file sent to it.");
        return new AgeRecipient(data);
    }

    public override string ToString() => AgeBech32.Encode(HumanReadablePart, _publicKey);

    /// <summary>
    /// X25519 clamps every scalar to a multiple of the cofactor 8, so a point of order 1, 2, 4 or 8 (in any
    /// encoding) gives the all-zero shared secret with every key; libsodium reports exactly that as a failure.
    /// </summary>
    private static bool IsLowOrder(ReadOnlySpan<byte> point)
    {
        PublicKey publicKey = NSec.Cryptography.PublicKey.Import(KeyAgreementAlgorithm.X25519, point, KeyBlobFormat.RawPublicKey);
        using Key probe = Key.Create(KeyAgreementAlgorithm.X25519);
        using SharedSecret? shared = KeyAgreementAlgorithm.X25519.Agree(probe, publicKey);
        return shared is null;
    }

    private static string Truncate(string s) => s.Length <= 20 ? s : s[..20] + "…";
}
