using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Keystore.Chains;
using Keystore.Chains.Ethereum;

namespace Keystore.Api.ChainRequests;

/// <summary>
/// <c>POST …/sign/ethereum</c>, exactly one of:
/// <list type="bullet">
/// <item><c>{"transaction": {…JSON-RPC or ethers toJSON() transaction…}}</c> or <c>{"transaction": "0x…unsigned serialized"}</c>
/// → <c>{signedTransaction, hash, from}</c></item>
/// <item><c>{"message": "text" | "0x…", "encoding"?: "utf8" | "hex"}</c> → <c>{signature}</c>. Without
/// <c>encoding</c>, a <c>0x</c> string of whole hex bytes is signed as those bytes (as MetaMask's
/// personal_sign does) and anything else as UTF-8 text.</item>
/// <item><c>{"typedData": {types, primaryType, domain, message}}</c> → <c>{signature}</c></item>
/// </list>
/// Signatures are <c>0x</c> r ‖ s ‖ v with low s and v = 27 + recovery id.
/// </summary>
public sealed class EthereumRequestHandler(EthereumSigner signer) : IChainRequestHandler
{
    public string Chain => signer.Name;

    public JsonObject Sign(SigningKey key, JsonElement request)
    {
        var (member, value) = ChainRequestJson.SingleMember(request, "transaction", "message", "typedData");
        return member switch
        {
            "transaction" => SignTransaction(key, value),
            "message" => Signature(signer.SignPersonalMessage(key, MessageBytes(request, value))),
            _ => Signature(signer.SignTypedData(key, EthereumTypedDataReader.Read(value))),
        };
    }

    private JsonObject SignTransaction(SigningKey key, JsonElement value)
    {
        var transaction = value.ValueKind == JsonValueKind.String
            ? EthereumSerializedTransaction.Decode(SerializedBytes(value.GetString()!))
            : EthereumTransactionReader.Read(value);
        var signed = signer.SignTransaction(key, transaction);
        return new JsonObject
        {
            ["signedTransaction"] = EthereumRequestJson.Hex(signed.Encoded),
            ["hash"] = EthereumRequestJson.Hex(signed.Hash),
            ["from"] = signed.From,
        };
    }

    private static byte[] SerializedBytes(string text) =>
        EthereumRequestJson.TryParseHexData(text, out var bytes) && bytes.Length > 0
            ? bytes
            : throw new ChainRequestException(ChainError.InvalidTransaction, "A serialized transaction is 0x-prefixed hex with an even number of digits.");

    private static JsonObject Signature(byte[] signature) => new() { ["signature"] = EthereumRequestJson.Hex(signature) };

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
        bool isHex = EthereumRequestJson.TryParseHexData(text, out var bytes);
        if (encoding == "hex" && !isHex)
            throw new ChainRequestException(problem, "'message' is not 0x hex bytes.");
        return encoding == "utf8" || !isHex ? Encoding.UTF8.GetBytes(text) : bytes;
    }
}
