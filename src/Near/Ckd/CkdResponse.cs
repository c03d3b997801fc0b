using System.Text.Json;
using System.Text.Json.Nodes;
using Keystore.Near.Bls12381;

namespace Keystore.Near.Ckd;

/// <summary>The MPC network's answer: Y = y·G1 and C = msk·H(pk, app_id) + y·A.</summary>
public sealed record CkdResponse(G1Point BigY, G1Point BigC)
{
    /// <summary>Parses <c>{"big_y":"bls12381g1:…","big_c":"bls12381g1:…"}</c>; both points are validated.</summary>
    public static CkdResponse FromJson(string json)
    {
        JsonNode? node;
        try { node = JsonNode.Parse(json); }
        catch (JsonException e) { throw new FormatException("CKD response is not JSON.", e); }
        // The answer arrives through an RPC endpoint: anything but an object of two strings is a FormatException.
        var y = Text(node, "big_y") ?? throw new FormatException("CKD response lacks big_y.");
        var c = Text(node, "big_c") ?? throw new FormatException("CKD response lacks big_c.");
        return new CkdResponse(BlsKeyText.ParseG1(y), BlsKeyText.ParseG1(c));
    }

    private static string? Text(JsonNode? node, string name) =>
        node is JsonObject o && o[name] is JsonValue v && v.TryGetValue(out string? s) ? s : null;

    public string ToJson() => new JsonObject
    {
        ["big_y"] = BlsKeyText.Encode(BigY),
        ["big_c"] = BlsKeyText.Encode(BigC),
    }.ToJsonString();
}
