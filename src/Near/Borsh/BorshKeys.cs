using Keystore.Near.Keys;

namespace Keystore.Near.Borsh;

/// <summary>Borsh form of NEAR <c>PublicKey</c> and <c>Signature</c>: a one-byte curve tag then the raw bytes.</summary>
public static class BorshKeys
{
    public static BorshWriter WritePublicKey(BorshWriter writer, Ed25519PublicKey key) =>
        writer.U8((byte)KeyType.Ed25519).Fixed(key.Bytes.Span);

    public static Ed25519PublicKey ReadPublicKey(ref BorshReader reader)
    {
        byte tag = reader.U8();
        if (tag != (byte)KeyType.Ed25519) throw new FormatException($"Unsupported public key type {tag} (only ed25519).");
        return new Ed25519PublicKey(reader.Fixed(32));
    }

    public static BorshWriter WriteSignature(BorshWriter writer, ReadOnlySpan<byte> ed25519Signature) =>
        writer.U8((byte)KeyType.Ed25519).Fixed(ed25519Signature);

    public static byte[] ReadSignature(ref BorshReader reader)
    {
        byte tag = reader.U8();
        if (tag != (byte)KeyType.Ed25519) throw new FormatException($"Unsupported signature type {tag} (only ed25519).");
        return reader.Fixed(64);
    }
}
