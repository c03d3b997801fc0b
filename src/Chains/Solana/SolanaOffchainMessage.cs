using System.Text;

namespace Keystore.Chains.Solana;

/// <summary>
/// A Solana off-chain message, the format wallets sign for "sign a message" (Solana's off-chain message
/// proposal, as <c>@solana/offchain-messages</c> reads it). The signed bytes are the whole message:
/// <list type="bullet">
/// <item>v0: <c>"\xffsolana offchain"</c> ‖ 0 ‖ application domain (32) ‖ format (0 restricted ASCII, 1 UTF-8 ≤ 1232 bytes,
/// 2 UTF-8 ≤ 65535 bytes) ‖ signer count (u8 ≥ 1) ‖ signers (32 each) ‖ length (u16 LE) ‖ text;</item>
/// <item>v1: <c>"\xffsolana offchain"</c> ‖ 1 ‖ signer count (u8 ≥ 1) ‖ signers, sorted and unique ‖ UTF-8 text to the end.</item>
/// </list>
/// The leading 0xff can never start a transaction message, and a text that itself decodes as a transaction
/// message or a wire transaction is refused, so signing a message never yields a transaction signature.
/// </summary>
public sealed class SolanaOffchainMessage
{
    /// <summary><c>"\xffsolana offchain"</c>.</summary>
    public static ReadOnlySpan<byte> SigningDomain => Domain;

    private static readonly byte[] Domain = [0xff, .. "solana offchain"u8];

    public const int MaxHardwareWalletBytes = 1232;

    private readonly byte[] _bytes;
    private readonly int _signersOffset;

    private SolanaOffchainMessage(byte[] bytes, int signersOffset, int version, byte[]? applicationDomain, int? format, IReadOnlyList<string> signers, string text)
    {
        _bytes = bytes;
        _signersOffset = signersOffset;
        Version = version;
        ApplicationDomain = applicationDomain is null ? null : Base58.Encode(applicationDomain);
        Format = format;
        Signers = signers;
        Text = text;
    }

    public int Version { get; }

    /// <summary>v0 only: the application domain, base58.</summary>
    public string? ApplicationDomain { get; }

    /// <summary>v0 only: 0 restricted ASCII, 1 UTF-8 up to 1232 bytes, 2 UTF-8 up to 65535 bytes.</summary>
    public int? Format { get; }

    /// <summary>The required signers, base58.</summary>
    public IReadOnlyList<string> Signers { get; }

    public string Text { get; }

    /// <summary>The bytes an ed25519 signature covers: the whole message.</summary>
    public ReadOnlySpan<byte> BytesToSign => _bytes;

    public bool IsSigner(string base58PublicKey) => Signers.Contains(base58PublicKey, StringComparer.Ordinal);

    /// <summary>True when the 32-byte <paramref name="publicKey"/> is one of the signers.</summary>
    public bool IsSigner(ReadOnlySpan<byte> publicKey)
    {
        if (publicKey.Length != 32) return false;
        for (int i = 0; i < Signers.Count; i++)
            if (_bytes.AsSpan(_signersOffset + 32 * i, 32).SequenceEqual(publicKey)) return true;
        return false;
    }

    public static SolanaOffchainMessage Parse(ReadOnlySpan<byte> bytes) =>
        TryParse(bytes, out SolanaOffchainMessage? message, out string? error) ? message : throw new FormatException(error);

    public static bool TryParse(ReadOnlySpan<byte> bytes, out SolanaOffchainMessage message, out string error)
    {
        message = null!;
        if (!bytes.StartsWith(Domain)) return Fail("does not start with the \\xffsolana offchain signing domain", out error);
        int offset = Domain.Length;
        if (offset >= bytes.Length) return Fail("has no version", out error);
        int version = bytes[offset++];
        byte[]? applicationDomain = null;
        int? format = null;
        if (version == 0)
        {
            if (bytes.Length - offset < 33) return Fail("is truncated in its header", out error);
            applicationDomain = bytes.Slice(offset, 32).ToArray();
            offset += 32;
            format = bytes[offset++];
            if (format > 2) return Fail($"has unknown message format {format}", out error);
        }
        else if (version != 1) return Fail($"has unsupported version {version}", out error);

        if (offset >= bytes.Length) return Fail("has no signer count", out error);
        int signerCount = bytes[offset++];
        if (signerCount == 0) return Fail("names no signer", out error);
        if ((long)signerCount * 32 > bytes.Length - offset) return Fail("is truncated in its signers", out error);
        int signersOffset = offset;
        var signers = new string[signerCount];
        for (int i = 0; i < signerCount; i++)
        {
            ReadOnlySpan<byte> signer = bytes.Slice(offset + i * 32, 32);
            if (version == 1 && i > 0)
            {
                int order = signer.SequenceCompareTo(bytes.Slice(offset + (i - 1) * 32, 32));
                if (order == 0) return Fail("names a signer twice", out error);
                if (order < 0) return Fail("does not list its signers sorted", out error);
            }
            signers[i] = Base58.Encode(signer);
        }
        offset += signerCount * 32;

        ReadOnlySpan<byte> body;
        if (version == 0)
        {
            if (bytes.Length - offset < 2) return Fail("has no message length", out error);
            int length = bytes[offset] | bytes[offset + 1] << 8;
            offset += 2;
            if (length != bytes.Length - offset) return Fail("has a message length that differs from its text", out error);
            body = bytes[offset..];
            if (format is 0 or 1 && bytes.Length > MaxHardwareWalletBytes) return Fail($"is longer than {MaxHardwareWalletBytes} bytes for its format", out error);
            if (format == 0 && body.ContainsAnyExceptInRange((byte)0x20, (byte)0x7e)) return Fail("has a character outside printable ASCII in a restricted-ASCII message", out error);
        }
        else body = bytes[offset..];

        if (body.Length == 0) return Fail("has an empty text", out error);
        string text;
        try
        {
            text = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(body);
        }
        catch (DecoderFallbackException)
        {
            return Fail("has a text that is not UTF-8", out error);
        }
        if (IsTransaction(body))
            return Fail("has a text that is a Solana transaction", out error);

        message = new SolanaOffchainMessage(bytes.ToArray(), signersOffset, version, applicationDomain, format, signers, text);
        error = "";
        return true;
    }

    /// <summary>True when <paramref name="bytes"/> are a Solana transaction message or wire transaction: the guard a
    /// "sign a message" route applies to raw bytes it is asked to sign outside the off-chain format.</summary>
    public static bool IsTransaction(ReadOnlySpan<byte> bytes) =>
        SolanaMessage.LooksLikeMessage(bytes) || SolanaTransaction.LooksLikeTransaction(bytes);

    private static bool Fail(string what, out string error)
    {
        error = "The Solana off-chain message " + what + ".";
        return false;
    }
}
