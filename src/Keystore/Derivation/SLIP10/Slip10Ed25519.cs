using System.Buffers.Binary;
using System.Security.Cryptography;
using Keystore.Chains;

namespace Keystore.Derivation.SLIP10;

/// <summary>
/// SLIP-0010 derivation for ed25519: hardened children only, and I_L is the child key as is.
/// </summary>
public static class Slip10Ed25519
{
    private static readonly byte[] MasterKeySalt = "ed25519 seed"u8.ToArray();

    public static ExtendedPrivateKey CreateMaster(ReadOnlySpan<byte> seed)
    {
        Span<byte> i = stackalloc byte[64];
        HMACSHA512.HashData(MasterKeySalt, seed, i);
        var key = new ExtendedPrivateKey(i, 0, 0);
        CryptographicOperations.ZeroMemory(i);
        return key;
    }

    public static ExtendedPrivateKey DeriveChild(ExtendedPrivateKey parent, uint index)
    {
        if (index < DerivationPath.HardenedOffset)
            throw new ArgumentException("ed25519 under SLIP-0010 has hardened children only.", nameof(index));
        Span<byte> data = stackalloc byte[37];
        Span<byte> i = stackalloc byte[64];
        try
        {
            data[0] = 0;
            parent.PrivateKey.CopyTo(data[1..]);
            BinaryPrimitives.WriteUInt32BigEndian(data[33..], index);
            HMACSHA512.HashData(parent.ChainCode, data, i);
            // SLIP-0010 gives ed25519 keys no fingerprint of their own: it uses the parent's public key
            // hash like BIP32, which needs the public key; the keystore never serializes these, so 0.
            return new ExtendedPrivateKey(i, (byte)(parent.Depth + 1), index);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(data);
            CryptographicOperations.ZeroMemory(i);
        }
    }

    public static ExtendedPrivateKey Derive(ReadOnlySpan<byte> seed, DerivationPath path)
    {
        ExtendedPrivateKey key = CreateMaster(seed);
        foreach (uint index in path.Indices)
        {
            ExtendedPrivateKey child = DeriveChild(key, index);
            key.Dispose();
            key = child;
        }
        return key;
    }
}
