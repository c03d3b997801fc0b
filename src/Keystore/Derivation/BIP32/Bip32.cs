using System.Buffers.Binary;
using System.Security.Cryptography;
using Keystore.Chains;

namespace Keystore.Derivation.BIP32;

/// <summary>
/// BIP32 hierarchical deterministic derivation on secp256k1 (identical to SLIP-0010's secp256k1
/// scheme). Public keys come from libsecp256k1; private-key arithmetic is its tweak-add, which is
/// constant-time, so no secret-dependent branch or BigInteger touches the key.
/// </summary>
public static class Bip32
{
    private static readonly byte[] MasterKeySalt = "Bitcoin seed"u8.ToArray();

    public static ExtendedPrivateKey CreateMaster(ReadOnlySpan<byte> seed)
    {
        if (seed.Length is < 16 or > 64)
            throw new ArgumentException("A BIP32 seed is 16 to 64 bytes.", nameof(seed));
        Span<byte> i = stackalloc byte[64];
        HMACSHA512.HashData(MasterKeySalt, seed, i);
        try
        {
            if (!Secp256k1.IsValidPrivateKey(i[..32]))
                throw new CryptographicException("This seed gives an invalid BIP32 master key; use another seed.");
            return new ExtendedPrivateKey(i, 0, 0);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(i);
        }
    }

    /// <summary>CKDpriv. Returns null in the (≈2^-127) case BIP32 says to skip this index.</summary>
    public static ExtendedPrivateKey? DeriveChild(ExtendedPrivateKey parent, uint index)
    {
        Span<byte> data = stackalloc byte[37];
        Span<byte> parentPublic = stackalloc byte[33];
        Span<byte> i = stackalloc byte[64];
        try
        {
            // Only a normal child needs its parent's public key (hardened ones hash the private key).
            if (index >= DerivationPath.HardenedOffset)
            {
                data[0] = 0;
                parent.PrivateKey.CopyTo(data[1..]);
            }
            else
            {
                Secp256k1.GetPublicKey(parent.PrivateKey, parentPublic);
                parentPublic.CopyTo(data);
            }
            BinaryPrimitives.WriteUInt32BigEndian(data[33..], index);
            HMACSHA512.HashData(parent.ChainCode, data, i);

            // I_L becomes k_par + I_L (mod n), computed in place where the HMAC output sits.
            Span<byte> childKey = stackalloc byte[32];
            parent.PrivateKey.CopyTo(childKey);
            bool ok = Secp256k1.TryAddPrivateKeyTweak(childKey, i[..32]);
            childKey.CopyTo(i[..32]);
            CryptographicOperations.ZeroMemory(childKey);
            if (!ok) return null;

            return new ExtendedPrivateKey(i, (byte)(parent.Depth + 1), index);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(data);
            CryptographicOperations.ZeroMemory(i);
        }
    }

    /// <summary>Derives along <paramref name="path"/>, disposing every intermediate key.</summary>
    public static ExtendedPrivateKey Derive(ReadOnlySpan<byte> seed, DerivationPath path)
    {
        ExtendedPrivateKey key = CreateMaster(seed);
        foreach (uint index in path.Indices)
        {
            ExtendedPrivateKey? child = DeriveChild(key, index);
            key.Dispose();
            key = child ?? throw new CryptographicException(
                $"BIP32 index {index} of this path gives an invalid key; use the next index.");
        }
        return key;
    }

    /// <summary>The first four bytes of HASH160 of the compressed public key (BIP32 serialization's parent fingerprint).</summary>
    public static uint Fingerprint(ReadOnlySpan<byte> compressedPublicKey)
    {
        Span<byte> sha = stackalloc byte[32];
        SHA256.HashData(compressedPublicKey, sha);
        Span<byte> ripemd = stackalloc byte[20];
        var digest = new Org.BouncyCastle.Crypto.Digests.RipeMD160Digest();
        digest.BlockUpdate(sha);
        digest.DoFinal(ripemd);
        return BinaryPrimitives.ReadUInt32BigEndian(ripemd);
    }
}
