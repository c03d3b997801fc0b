using Nethereum.ABI.EIP712;
using Nethereum.Signer;
using Nethereum.Util;

namespace Keystore.Chains.Ethereum;

/// <summary>
/// Ethereum: BIP44 path <c>m/44'/60'/0'/0/i</c>, EIP-55 addresses, and signing of transactions
/// (legacy EIP-155, EIP-2930, EIP-1559), EIP-191 personal messages and EIP-712 typed data.
/// Formats and hashes are Nethereum's; the signature is libsecp256k1's (<see cref="Secp256k1.SignRecoverable"/>),
/// checked by recovery before it is released. Signatures are r ‖ s ‖ v with low s and v = 27 + recovery id.
/// </summary>
public sealed class EthereumSigner : IChainSigner
{
    public string Name => "ethereum";

    public KeyCurve Curve => KeyCurve.Secp256k1;

    public DerivationPath DerivationPath(uint index) => new(ChainPaths.Hardened(44), ChainPaths.Hardened(60), ChainPaths.Hardened(0), 0, ChainPaths.CheckIndex(index));

    public ChainAddress Describe(ReadOnlySpan<byte> publicKey) =>
        new(NearKey.FromSecp256k1(publicKey), EthereumAddress.ToChecksum(EthereumAddress.FromPublicKey(publicKey)));

    /// <summary>Validates and signs <paramref name="transaction"/>; refuses one whose stated <c>from</c> is not this key's address.</summary>
    public EthereumSignedTransaction SignTransaction(SigningKey key, EthereumTransaction transaction)
    {
        CheckKey(key);
        ArgumentNullException.ThrowIfNull(transaction);
        transaction.Validate();
        var from = key.PublicValue(EthereumKeyAddress.Of);
        if (transaction.From is not null && !transaction.From.AsSpan().SequenceEqual(from.Address))
            throw new ChainRequestException(ChainError.InvalidTransaction, "'from' is not this key's address.");
        var unsigned = transaction.ToNethereum();
        Span<byte> signature = stackalloc byte[64];
        int recoveryId = SignChecked(key, Sha3Keccack.Current.CalculateHash(unsigned.GetRLPEncodedRaw()), signature);
        var signed = transaction.EncodeSigned(unsigned, signature, recoveryId);
        return new EthereumSignedTransaction(signed, Sha3Keccack.Current.CalculateHash(signed), from.Checksummed);
    }

    /// <summary>EIP-191 <c>personal_sign</c> of <paramref name="message"/>: 65 bytes r ‖ s ‖ v.</summary>
    public byte[] SignPersonalMessage(SigningKey key, ReadOnlySpan<byte> message)
    {
        CheckKey(key);
        return SignDigest(key, PersonalMessageHash(message));
    }

    /// <summary>EIP-712 signature over <paramref name="typedData"/> (see <see cref="Eip712Hasher"/>): 65 bytes r ‖ s ‖ v.</summary>
    public byte[] SignTypedData(SigningKey key, TypedDataRaw typedData)
    {
        CheckKey(key);
        return SignDigest(key, Eip712Hasher.Digest(typedData));
    }

    /// <summary>EIP-191 version 0x45: keccak256("\u0019Ethereum Signed Message:\n" ‖ len(message) ‖ message).</summary>
    public static byte[] PersonalMessageHash(ReadOnlySpan<byte> message) =>
        new EthereumMessageSigner().HashPrefixedMessage(message.ToArray());

    private static void CheckKey(SigningKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (key.Curve != KeyCurve.Secp256k1) throw new ArgumentException("Ethereum signs with a secp256k1 key.", nameof(key));
    }

    private static byte[] SignDigest(SigningKey key, ReadOnlySpan<byte> digest)
    {
        var signature = new byte[65];
        int recoveryId = SignChecked(key, digest, signature.AsSpan(0, 64));
        signature[64] = (byte)(27 + recoveryId);
        return signature;
    }

    /// <summary>
    /// Signs and checks that the signature recovers to the key's public key before releasing it:
    /// this catches a computation fault (which could leak the key) and a private/public key pair
    /// that do not belong together (which would sign for another address than reported).
    /// </summary>
    private static int SignChecked(SigningKey key, ReadOnlySpan<byte> hash32, Span<byte> signature64)
    {
        int recoveryId = Secp256k1.SignRecoverable(key.PrivateKey, hash32, signature64);
        Span<byte> recovered = stackalloc byte[33];
        if (recoveryId > 1 || !Secp256k1.TryRecover(hash32, signature64, recoveryId, recovered) || !recovered.SequenceEqual(key.PublicKey))
        {
            signature64.Clear();
            throw new InvalidOperationException("An ECDSA signature failed its self-check.");
        }
        return recoveryId;
    }
}
