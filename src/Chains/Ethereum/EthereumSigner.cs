using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Keystore.Chains.Ethereum;

/// <summary>
/// Ethereum: BIP44 path <c>m/44'/60'/0'/0/i</c>, EIP-55 addresses, and signing of transactions
/// (legacy EIP-155, EIP-2930, EIP-1559), EIP-191 personal messages and EIP-712 typed data.
/// </summary>
/// <remarks>
/// Request body (exactly one member):
/// <list type="bullet">
/// <item><c>{"transaction": {…JSON-RPC transaction…}}</c> → <c>{signedTransaction, hash, from}</c></item>
/// <item><c>{"message": "text" | "0x…", "encoding"?: "utf8" | "hex"}</c> → <c>{signature}</c>. Without
/// <c>encoding</c>, a <c>0x</c> string of whole hex bytes is signed as those bytes (as MetaMask's
/// personal_sign does) and anything else as UTF-8 text.</item>
/// <item><c>{"typedData": {types, primaryType, domain, message}}</c> → <c>{signature}</c></item>
/// </list>
/// Signatures are <c>0x</c> r ‖ s ‖ v with low s and v = 27 + recovery id.
/// </remarks>
public sealed class EthereumSigner : IChainSigner
{
    public string Name => "ethereum";

    public KeyCurve Curve => KeyCurve.Secp256k1;

    public DerivationPath DerivationPath(uint index) => new(ChainSigners.Hardened(44), ChainSigners.Hardened(60), ChainSigners.Hardened(0), 0, ChainSigners.CheckIndex(index));

    public ChainAddress Describe(ReadOnlySpan<byte> publicKey) =>
        new(NearKey.FromSecp256k1(publicKey), EthereumAddress.ToChecksum(EthereumAddress.FromPublicKey(publicKey)));

    public JsonObject Sign(SigningKey key, JsonElement request)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (key.Curve != KeyCurve.Secp256k1) throw new ArgumentException("Ethereum signs with a secp256k1 key.", nameof(key));
        var (member, value) = ChainSigners.SingleMember(request, "transaction", "message", "typedData");
        return member switch
        {
            "transaction" => SignTransaction(key, value),
            "message" => SignDigest(key, PersonalMessageHash(MessageBytes(request, value))),
            _ => SignDigest(key, TypedData.Digest(value)),
        };
    }

    private static JsonObject SignTransaction(SigningKey key, JsonElement value)
    {
        var tx = EthereumTransaction.Parse(value);
        var from = EthereumAddress.FromPublicKey(key.PublicKey);
        if (tx.From is not null && !tx.From.AsSpan().SequenceEqual(from))
            throw new ChainRequestException(ChainError.InvalidTransaction, "'from' is not this key's address.");
        Span<byte> signature = stackalloc byte[64];
        int recoveryId = SignChecked(key, tx.SigningHash(), signature);
        var signed = tx.EncodeSigned(signature, recoveryId);
        return new JsonObject
        {
            ["signedTransaction"] = EthereumJson.Hex(signed),
            ["hash"] = EthereumJson.Hex(Keccak256.Hash(signed)),
            ["from"] = EthereumAddress.ToChecksum(from),
        };
    }

    private static JsonObject SignDigest(SigningKey key, ReadOnlySpan<byte> digest)
    {
        Span<byte> signature = stackalloc byte[65];
        int recoveryId = SignChecked(key, digest, signature[..64]);
        signature[64] = (byte)(27 + recoveryId);
        return new JsonObject { ["signature"] = EthereumJson.Hex(signature) };
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

    private static byte[] MessageBytes(JsonElement request, JsonElement message)
    {
        const ChainError problem = ChainError.InvalidMessage;
        if (message.ValueKind != JsonValueKind.String)
            throw new ChainRequestException(problem, "'message' must be a string (UTF-8 text or 0x hex bytes).");
        string text = message.GetString()!;
        string? encoding = null;
        if (request.TryGetProperty("encoding", out var e))
        {
            encoding = e.ValueKind == JsonValueKind.String ? e.GetString() : null;
            if (encoding is not ("utf8" or "hex"))
                throw new ChainRequestException(problem, "'encoding' must be \"utf8\" or \"hex\".");
        }
        bool isHex = EthereumJson.TryParseHexData(text, out var bytes);
        if (encoding == "hex" && !isHex)
            throw new ChainRequestException(problem, "'message' is not 0x hex bytes.");
        return encoding == "utf8" || !isHex ? Encoding.UTF8.GetBytes(text) : bytes;
    }

    /// <summary>EIP-191 version 0x45: keccak256("\u0019Ethereum Signed Message:\n" ‖ len(message) ‖ message).</summary>
    public static byte[] PersonalMessageHash(ReadOnlySpan<byte> message)
    {
        var prefix = Encoding.ASCII.GetBytes("\u0019Ethereum Signed Message:\n" + message.Length.ToString(CultureInfo.InvariantCulture));
        var data = new byte[prefix.Length + message.Length];
        prefix.CopyTo(data, 0);
        message.CopyTo(data.AsSpan(prefix.Length));
        return Keccak256.Hash(data);
    }
}
