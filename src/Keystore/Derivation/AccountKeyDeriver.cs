using System.Security.Cryptography;
using System.Text;
using Keystore.Chains;
using Keystore.Derivation.BIP32;
using Keystore.Derivation.BIP39;
using Keystore.Derivation.SLIP10;
using Keystore.MasterSecrets;

namespace Keystore.Derivation;

/// <summary>
/// Turns the master secret into one chain key of one NEAR account, exactly as DESIGN.md states:
/// entropy_U = HMAC-SHA256(master, "near-tee-keystore:v1:user:" + U) → 24-word BIP39 mnemonic →
/// BIP39 seed (no passphrase) → BIP32/BIP86 (secp256k1) or SLIP-0010 (ed25519) at the chain's path.
/// Every intermediate (entropy, mnemonic bytes, seed, parent keys) is wiped before returning.
/// </summary>
public static class AccountKeyDeriver
{
    private const string EntropyDomain = "near-tee-keystore:v1:user:";

    public static SigningKey Derive(MasterSecret master, string accountId, IChainSigner chain, uint index) =>
        Derive(master, accountId, chain.Curve, chain.DerivationPath(index));

    /// <summary>The key of <paramref name="accountId"/> on <paramref name="curve"/> at <paramref name="path"/> (a chain's own path).</summary>
    public static SigningKey Derive(MasterSecret master, string accountId, KeyCurve curve, DerivationPath path)
    {
        Span<byte> seed = stackalloc byte[64];
        try
        {
            DeriveAccountSeed(master, accountId, seed);
            return curve switch
            {
                KeyCurve.Secp256k1 => DeriveSecp256k1(seed, path),
                KeyCurve.Ed25519 => DeriveEd25519(seed, path),
                _ => throw new NotSupportedException($"Curve {curve} is not supported."),
            };
        }
        finally
        {
            CryptographicOperations.ZeroMemory(seed);
        }
    }

    /// <summary>The 32 bytes of BIP39 entropy of an account: its 24-word mnemonic, in bytes.</summary>
    public static void DeriveAccountEntropy(MasterSecret master, string accountId, Span<byte> entropy32)
    {
        byte[] label = Encoding.UTF8.GetBytes(EntropyDomain + accountId);
        master.HmacSha256(label, entropy32);
    }

    public static void DeriveAccountSeed(MasterSecret master, string accountId, Span<byte> seed64)
    {
        Span<byte> entropy = stackalloc byte[32];
        Span<byte> mnemonic = stackalloc byte[Bip39.MaxMnemonicBytes];
        try
        {
            DeriveAccountEntropy(master, accountId, entropy);
            int length = Bip39.WriteMnemonic(entropy, mnemonic);
            Bip39.DeriveSeed(mnemonic[..length], ReadOnlySpan<byte>.Empty, seed64);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(entropy);
            CryptographicOperations.ZeroMemory(mnemonic);
        }
    }

    private static SigningKey DeriveSecp256k1(ReadOnlySpan<byte> seed, DerivationPath path)
    {
        using ExtendedPrivateKey key = Bip32.Derive(seed, path);
        return new SigningKey(KeyCurve.Secp256k1, key.PrivateKey);
    }

    private static SigningKey DeriveEd25519(ReadOnlySpan<byte> seed, DerivationPath path)
    {
        using ExtendedPrivateKey key = Slip10Ed25519.Derive(seed, path);
        return new SigningKey(KeyCurve.Ed25519, key.PrivateKey);
    }
}
