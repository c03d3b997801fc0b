using NSec.Cryptography;

namespace Keystore.Chains.Solana;

/// <summary>
/// Solana: SLIP-0010 ed25519 path <c>m/44'/501'/i'/0'</c> (Phantom's), base58 addresses, and ed25519 signatures over
/// transaction messages (legacy and v0), wire transactions and off-chain messages. Every operation checks the key is
/// one of the required signers before anything is signed, and verifies the signature before it is returned.
/// </summary>
public sealed class SolanaSigner : IChainSigner
{
    private static readonly SignatureAlgorithm Ed25519 = SignatureAlgorithm.Ed25519;

    public string Name => "solana";

    public KeyCurve Curve => KeyCurve.Ed25519;

    public DerivationPath DerivationPath(uint index) => new(ChainPaths.Hardened(44), ChainPaths.Hardened(501), ChainPaths.Hardened(ChainPaths.CheckIndex(index)), ChainPaths.Hardened(0));

    public ChainAddress Describe(ReadOnlySpan<byte> publicKey)
    {
        if (publicKey.Length != 32) throw new ArgumentException("An ed25519 public key is 32 bytes.", nameof(publicKey));
        return new ChainAddress(NearKey.FromEd25519(publicKey), Base58.Encode(publicKey));
    }

    /// <summary>The 64-byte signature over <paramref name="message"/>, of which <paramref name="key"/> must be a required signer.</summary>
    /// <exception cref="ChainRequestException"><see cref="ChainError.NotASigner"/>.</exception>
    public byte[] SignMessage(SigningKey key, SolanaMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        CheckCurve(key);
        if (message.SignerIndex(key.PublicKey) < 0)
            throw new ChainRequestException(ChainError.NotASigner, "This key is not one of the message's required signers.");
        var signature = new byte[64];
        SignBytes(key, message.Bytes, signature);
        return signature;
    }

    /// <summary>Fills <paramref name="key"/>'s slot of <paramref name="transaction"/>; the other slots are kept as they came.</summary>
    /// <exception cref="ChainRequestException"><see cref="ChainError.NotASigner"/>.</exception>
    public SolanaSignedTransaction SignTransaction(SigningKey key, SolanaTransaction transaction)
    {
        ArgumentNullException.ThrowIfNull(transaction);
        CheckCurve(key);
        int slot = transaction.Message.SignerIndex(key.PublicKey);
        if (slot < 0)
            throw new ChainRequestException(ChainError.NotASigner, "This key is not one of the transaction's required signers.");
        var signature = new byte[64];
        SignBytes(key, transaction.MessageBytes, signature);
        return new SolanaSignedTransaction(signature, transaction.WithSignature(slot, signature));
    }

    /// <summary>The 64-byte signature over the whole off-chain message, of which <paramref name="key"/> must be a signer.</summary>
    /// <exception cref="ChainRequestException"><see cref="ChainError.NotASigner"/>.</exception>
    public byte[] SignOffchainMessage(SigningKey key, SolanaOffchainMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        CheckCurve(key);
        if (!message.IsSigner(key.PublicKey))
            throw new ChainRequestException(ChainError.NotASigner, "This key is not one of the off-chain message's signers.");
        var signature = new byte[64];
        SignBytes(key, message.BytesToSign, signature);
        return signature;
    }

    /// <summary>ed25519 (RFC 8032) over <paramref name="data"/> with the key's 32-byte seed, through libsodium, verified before it is returned.</summary>
    public static void SignBytes(SigningKey key, ReadOnlySpan<byte> data, Span<byte> signature64)
    {
        CheckCurve(key);
        // The key's own libsodium copy, imported once per SigningKey and freed (zeroed) when it is disposed.
        Key nsecKey = key.Ed25519Key;
        Ed25519.Sign(nsecKey, data, signature64);
        // Verify before release: a faulty computation must not leave the enclave.
        if (!Ed25519.Verify(nsecKey.PublicKey, data, signature64))
        {
            signature64.Clear();
            throw new InvalidOperationException("An ed25519 signature failed its self-check.");
        }
    }

    private static void CheckCurve(SigningKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (key.Curve != KeyCurve.Ed25519) throw new ArgumentException("Solana signs with an ed25519 key.", nameof(key));
    }
}
