using System.Text.Json;
using System.Text.Json.Nodes;
using Keystore.Near.Encoding;
using NSec.Cryptography;

namespace Keystore.Chains.Solana;

/// <summary>
/// Solana: SLIP-0010 ed25519 path <c>m/44'/501'/i'/0'</c> (Phantom's), base58 addresses, and
/// ed25519 signatures over serialized transaction messages (legacy and v0).
/// </summary>
/// <remarks>
/// Request body (exactly one member):
/// <list type="bullet">
/// <item><c>{"message": base64}</c>: a serialized message; this key must be one of its
/// <c>numRequiredSignatures</c> signers → <c>{signature: base58}</c>.</item>
/// <item><c>{"transaction": base64}</c>: a wire transaction; this key must be one of the required
/// signers; its slot is filled, other slots are kept → <c>{signature: base58, signedTransaction: base64}</c>.</item>
/// </list>
/// </remarks>
public sealed class SolanaSigner : IChainSigner
{
    private static readonly SignatureAlgorithm Ed25519 = SignatureAlgorithm.Ed25519;

    public string Name => "solana";

    public KeyCurve Curve => KeyCurve.Ed25519;

    public DerivationPath DerivationPath(uint index) => new(ChainSigners.Hardened(44), ChainSigners.Hardened(501), ChainSigners.Hardened(ChainSigners.CheckIndex(index)), ChainSigners.Hardened(0));

    public ChainAddress Describe(ReadOnlySpan<byte> publicKey)
    {
        if (publicKey.Length != 32) throw new ArgumentException("An ed25519 public key is 32 bytes.", nameof(publicKey));
        return new ChainAddress(NearKey.FromEd25519(publicKey), Base58.Encode(publicKey));
    }

    public JsonObject Sign(SigningKey key, JsonElement request)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (key.Curve != KeyCurve.Ed25519) throw new ArgumentException("Solana signs with an ed25519 key.", nameof(key));
        var (member, value) = ChainSigners.SingleMember(request, "message", "transaction");
        Span<byte> signature = stackalloc byte[64];
        if (member == "message")
        {
            const ChainError problem = ChainError.InvalidMessage;
            var bytes = DecodeBase64(value, member, problem);
            var message = SolanaMessage.Parse(bytes, problem);
            if (message.SignerIndex(key.PublicKey) < 0)
                throw new ChainRequestException(ChainError.NotASigner, "This key is not one of the message's required signers.");
            SignBytes(key, bytes, signature);
            return new JsonObject { ["signature"] = Base58.Encode(signature) };
        }
        else
        {
            const ChainError problem = ChainError.InvalidTransaction;
            var transaction = SolanaTransaction.Parse(DecodeBase64(value, member, problem), problem);
            int slot = transaction.Message.SignerIndex(key.PublicKey);
            if (slot < 0)
                throw new ChainRequestException(ChainError.NotASigner, "This key is not one of the transaction's required signers.");
            SignBytes(key, transaction.MessageBytes, signature);
            return new JsonObject
            {
                ["signature"] = Base58.Encode(signature),
                ["signedTransaction"] = Convert.ToBase64String(transaction.WithSignature(slot, signature)),
            };
        }
    }

    /// <summary>ed25519 (RFC 8032) over <paramref name="data"/> with the key's 32-byte seed, through libsodium, verified before it is returned.</summary>
    public static void SignBytes(SigningKey key, ReadOnlySpan<byte> data, Span<byte> signature64)
    {
        if (key.Curve != KeyCurve.Ed25519)
            throw new ArgumentException("Solana signs with an ed25519 key.", nameof(key));
        // Imported into libsodium's guarded memory once per key, freed (zeroed) when the key is disposed.
        Key nsecKey = key.Ed25519Key;
        Ed25519.Sign(nsecKey, data, signature64);
        // Verify before release: a faulty computation must not leave the enclave.
        if (!Ed25519.Verify(nsecKey.PublicKey, data, signature64))
        {
            signature64.Clear();
            throw new InvalidOperationException("An ed25519 signature failed its self-check.");
        }
    }

    private static byte[] DecodeBase64(JsonElement value, string member, ChainError problem)
    {
        if (value.ValueKind != JsonValueKind.String)
            throw new ChainRequestException(problem, $"'{member}' must be a base64 string.");
        try
        {
            var bytes = Convert.FromBase64String(value.GetString()!);
            if (bytes.Length == 0) throw new ChainRequestException(problem, $"'{member}' is empty.");
            return bytes;
        }
        catch (FormatException)
        {
            throw new ChainRequestException(problem, $"'{member}' is not valid base64.");
        }
    }
}
