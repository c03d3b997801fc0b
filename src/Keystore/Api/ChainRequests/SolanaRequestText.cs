using System.Text.Json;
using Keystore.Chains;
using Keystore.Chains.Solana;

namespace Keystore.Api.ChainRequests;

/// <summary>
/// The payload members of a Solana sign body: a serialized message or transaction as text, base64 unless the body
/// says <c>"encoding": "base58"</c> (as some wallets' APIs pass them).
/// </summary>
public static class SolanaRequestText
{
    public const string EncodingMember = "encoding";

    /// <summary>The body's <c>encoding</c>: base64 when absent or null; anything but <c>"base64"</c>/<c>"base58"</c> is refused.</summary>
    public static SolanaTextEncoding Encoding(JsonElement body)
    {
        if (!body.TryGetProperty(EncodingMember, out JsonElement value) || value.ValueKind == JsonValueKind.Null) return SolanaTextEncoding.Base64;
        if (value.ValueKind == JsonValueKind.String && SolanaText.TryParseEncoding(value.GetString(), out SolanaTextEncoding encoding)) return encoding;
        throw new ChainRequestException(ChainError.InvalidRequest, $"'{EncodingMember}' is \"base64\" (the default) or \"base58\".");
    }

    /// <summary>The non-empty bytes of <paramref name="value"/> in <paramref name="encoding"/>, or <paramref name="problem"/>.</summary>
    public static byte[] Bytes(JsonElement value, string member, SolanaTextEncoding encoding, ChainError problem)
    {
        string name = SolanaText.Name(encoding);
        if (value.ValueKind != JsonValueKind.String)
            throw new ChainRequestException(problem, $"'{member}' must be a {name} string.");
        if (!SolanaText.TryDecode(value.GetString(), encoding, out byte[] bytes))
            throw new ChainRequestException(problem, $"'{member}' is not valid {name}.");
        if (bytes.Length == 0) throw new ChainRequestException(problem, $"'{member}' is empty.");
        return bytes;
    }
}
