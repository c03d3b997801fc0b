using System.Security.Cryptography;
using Keystore.Near.Borsh;

namespace Keystore.Near.Nep413;

/// <summary>
/// NEP-413 signed-message payload. The signed bytes are
/// <c>sha256(borsh(u32 2^31+413) ‖ borsh({message, nonce:[u8;32], recipient, callbackUrl: Option&lt;string&gt;}))</c>;
/// the tag keeps a message signature from ever being a valid transaction signature.
/// </summary>
public sealed record Nep413Payload(string Message, byte[] Nonce, string Recipient, string? CallbackUrl = null)
{
    public const uint Tag = 2147484061; // 2^31 + 413

    public byte[] ToBorsh()
    {
        if (Nonce.Length != 32) throw new ArgumentException("NEP-413 nonce must be 32 bytes.");
        return new BorshWriter()
            .U32(Tag)
            .String(Message)
            .Fixed(Nonce)
            .String(Recipient)
            .Option(CallbackUrl, (w, s) => w.String(s))
            .ToArray();
    }

    /// <summary>The 32 bytes an ed25519 key signs for this message.</summary>
    public byte[] Hash() => SHA256.HashData(ToBorsh());

    public static byte[] Hash(string message, ReadOnlySpan<byte> nonce, string recipient, string? callbackUrl = null) =>
        new Nep413Payload(message, nonce.ToArray(), recipient, callbackUrl).Hash();

    public bool Verify(Keys.Ed25519PublicKey key, ReadOnlySpan<byte> signature) => key.Verify(Hash(), signature);

    public bool Equals(Nep413Payload? other) =>
        other is not null && Message == other.Message && Nonce.AsSpan().SequenceEqual(other.Nonce) && Recipient == other.Recipient && CallbackUrl == other.CallbackUrl;

    public override int GetHashCode() => HashCode.Combine(Message, Recipient, CallbackUrl);
}
