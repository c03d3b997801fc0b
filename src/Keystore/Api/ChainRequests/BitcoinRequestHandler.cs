using System.Text.Json;
using System.Text.Json.Nodes;
using Keystore.Chains;
using Keystore.Chains.Bitcoin;
using NBitcoin;

namespace Keystore.Api.ChainRequests;

/// <summary>
/// <c>POST …/sign/bitcoin</c>: <c>{"psbt": base64, "allowedSighashTypes"?: […], "finalize"?: bool}</c> →
/// <c>{"psbt": base64, "signedInputs": [indices]}</c>, plus <c>"rawTransaction"</c> (hex) with <c>"finalize": true</c>,
/// in which case <c>psbt</c> is the finalized PSBT.
/// </summary>
public sealed class BitcoinRequestHandler(BitcoinSigner signer) : IChainRequestHandler
{
    private static readonly string SighashShape =
        $"'allowedSighashTypes' is an array of {string.Join(", ", TaprootSighashNames.All)}.";

    public string Chain => signer.Name;

    public JsonObject Sign(SigningKey key, JsonElement request)
    {
        var (_, value) = ChainRequestJson.SingleMember(request, "psbt");
        var allowed = AllowedSighashTypes(request);
        bool finalize = Finalize(request);
        var psbt = signer.ParsePsbt(PsbtBytes(value));

        var signing = signer.SignInputs(key, psbt, allowed);
        // Finalizing first: the PSBT answered is then the finalized one, matching the raw transaction.
        string? rawTransaction = finalize ? BitcoinSigner.FinalizeTransaction(signing.Psbt).ToHex() : null;
        var response = new JsonObject
        {
            ["psbt"] = signing.Psbt.ToBase64(),
            ["signedInputs"] = new JsonArray([.. signing.SignedInputs.Select(i => JsonValue.Create(i))]),
        };
        if (rawTransaction is not null) response["rawTransaction"] = rawTransaction;
        return response;
    }

    private static byte[] PsbtBytes(JsonElement value)
    {
        if (value.ValueKind != JsonValueKind.String) throw new ChainRequestException(ChainError.InvalidPsbt, "'psbt' must be a base64 string.");
        try
        {
            return Convert.FromBase64String(value.GetString()!);
        }
        catch (FormatException)
        {
            throw new ChainRequestException(ChainError.InvalidPsbt, "'psbt' is not valid base64.");
        }
    }

    /// <summary>The request's <c>allowedSighashTypes</c>, or null for the signer's default (DEFAULT and ALL).</summary>
    private static HashSet<TaprootSigHash>? AllowedSighashTypes(JsonElement request)
    {
        if (!request.TryGetProperty("allowedSighashTypes", out var list) || list.ValueKind == JsonValueKind.Null) return null;
        if (list.ValueKind != JsonValueKind.Array) throw new ChainRequestException(ChainError.InvalidRequest, SighashShape);
        var allowed = new HashSet<TaprootSigHash>();
        foreach (var item in list.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.String || !TaprootSighashNames.TryParse(item.GetString()!, out var type))
                throw new ChainRequestException(ChainError.InvalidRequest, SighashShape);
            allowed.Add(type);
        }
        return allowed;
    }

    private static bool Finalize(JsonElement request)
    {
        if (!request.TryGetProperty("finalize", out var finalize) || finalize.ValueKind == JsonValueKind.Null) return false;
        return finalize.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw new ChainRequestException(ChainError.InvalidRequest, "'finalize' is true or false."),
        };
    }
}
