using System.Text.Json;
using Keystore.Chains;
using Keystore.Chains.Solana;

namespace Keystore.Api.ChainRequests;

/// <summary>
/// Solana off-chain messages (<c>{"offchainMessage": text}</c> on <c>POST …/sign/solana</c>): the whole
/// <c>"\xffsolana offchain"</c> message is read once, by the signing step, into a <see cref="SolanaOffchainMessage"/>
/// (header, signers, a text that is not itself a transaction), which <see cref="SolanaSigner.SignOffchainMessage"/> signs,
/// so a caller allowed to "sign a message" can never get a transaction signature this way. The policy gate needs only
/// <see cref="IsRequest"/>: the operation is what a policy judges of it.
/// </summary>
public static class SolanaOffchainSigning
{
    public const string Member = "offchainMessage";

    /// <summary>True when the body asks for an off-chain message signature (and nothing else but the key index and encoding).</summary>
    public static bool IsRequest(JsonElement body) =>
        body.ValueKind == JsonValueKind.Object && body.TryGetProperty(Member, out _);

    /// <summary>The message, or why it is refused (never the message's content).</summary>
    private static bool TryRead(JsonElement body, out SolanaOffchainMessage message, out string error)
    {
        message = null!;
        foreach (JsonProperty member in body.EnumerateObject())
            if (member.Name is not (Member or "index" or SolanaRequestText.EncodingMember))
            {
                error = $"An off-chain message request has only '{Member}' (and 'index', '{SolanaRequestText.EncodingMember}'); '{member.Name}' is not allowed with it.";
                return false;
            }
        SolanaTextEncoding encoding;
        try
        {
            encoding = SolanaRequestText.Encoding(body);
        }
        catch (ChainRequestException ex)
        {
            error = ex.Message;
            return false;
        }
        JsonElement value = body.GetProperty(Member);
        if (value.ValueKind != JsonValueKind.String || !SolanaText.TryDecode(value.GetString(), encoding, out byte[] bytes) || bytes.Length == 0)
        {
            error = $"'{Member}' must be the whole off-chain message, {SolanaText.Name(encoding)}.";
            return false;
        }
        return SolanaOffchainMessage.TryParse(bytes, out message, out error);
    }

    /// <summary>The message, or <see cref="ChainError.InvalidMessage"/> with why it is refused.</summary>
    public static SolanaOffchainMessage Read(JsonElement body)
    {
        // An unknown encoding is a malformed request, as for the other Solana members, not a malformed message.
        SolanaRequestText.Encoding(body);
        return TryRead(body, out SolanaOffchainMessage message, out string error) ? message : throw new ChainRequestException(ChainError.InvalidMessage, error);
    }
}
