using System.Text.Json;
using System.Text.Json.Nodes;
using Keystore.Chains;
using Keystore.Chains.Solana;
using Keystore.Near.Encoding;
using Keystore.Policies.Decoding;
using Keystore.Problems;

namespace Keystore.Api.ChainRequests;

/// <summary>
/// Solana off-chain messages (<c>{"offchainMessage": base64}</c> on <c>POST …/sign/solana</c>): the whole
/// <c>"\xffsolana offchain"</c> message is checked (header, signers, a text that is not itself a transaction) before
/// the key signs it, so a caller allowed to "sign a message" can never get a transaction signature this way.
/// </summary>
public static class SolanaOffchainSigning
{
    public const string Member = "offchainMessage";

    /// <summary>True when the body asks for an off-chain message signature (and nothing else but the key index).</summary>
    public static bool IsRequest(JsonElement body) =>
        body.ValueKind == JsonValueKind.Object && body.TryGetProperty(Member, out _);

    /// <summary>The message, or why it is refused (never the message's content).</summary>
    public static bool TryRead(JsonElement body, out SolanaOffchainMessage message, out string error)
    {
        message = null!;
        foreach (JsonProperty member in body.EnumerateObject())
            if (member.Name is not (Member or "index"))
            {
                error = $"An off-chain message request has only '{Member}' (and 'index'); '{member.Name}' is not allowed with it.";
                return false;
            }
        JsonElement value = body.GetProperty(Member);
        if (value.ValueKind != JsonValueKind.String || !value.TryGetBytesFromBase64(out byte[]? bytes) || bytes.Length == 0)
        {
            error = $"'{Member}' must be the whole off-chain message, base64.";
            return false;
        }
        return SolanaOffchainMessage.TryParse(bytes, out message, out error);
    }

    /// <summary>Checks the message and that <paramref name="key"/> is one of its signers, then signs it: <c>{signature: base58}</c>.</summary>
    public static JsonObject Sign(SigningKey key, JsonElement body)
    {
        if (!TryRead(body, out SolanaOffchainMessage message, out string error))
            throw new ChainRequestException(ChainError.InvalidMessage, error);
        if (!message.IsSigner(Base58.Encode(key.PublicKey)))
            throw new ChainRequestException(ChainError.NotASigner, "This key is not one of the off-chain message's signers.");
        Span<byte> signature = stackalloc byte[64];
        SolanaSigner.SignBytes(key, message.BytesToSign, signature);
        return new JsonObject { ["signature"] = Base58.Encode(signature) };
    }
}
