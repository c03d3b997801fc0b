using System.Globalization;
using System.Text.Json.Nodes;

namespace Keystore.Audit;

/// <summary>
/// The chain's JSON form, as <c>GET /v1/audit/chain</c> answers and <c>verify-audit --log</c> reads:
/// <c>{"auditPublicKey":"ed25519:…","entries":[{"seq":1,"at":"…","prev":hex,"contentHash":hex,"hash":hex,"signature":hex},…]}</c>.
/// </summary>
public static class AuditChainExport
{
    public static JsonObject ToJson(string? auditPublicKey, IEnumerable<AuditEntry> links) => new()
    {
        ["auditPublicKey"] = auditPublicKey,
        ["entries"] = new JsonArray(links.Select(l => (JsonNode?)ToJson(l)).ToArray()),
    };

    public static JsonObject ToJson(AuditEntry link) => new()
    {
        ["seq"] = link.Sequence,
        ["at"] = link.At.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture),
        ["prev"] = Convert.ToHexStringLower(link.Previous),
        ["contentHash"] = Convert.ToHexStringLower(link.ContentHash),
        ["hash"] = Convert.ToHexStringLower(link.Hash),
        ["signature"] = Convert.ToHexStringLower(link.Signature),
    };

    /// <summary>Reads an export; a malformed one is a <see cref="FormatException"/> naming what is wrong.</summary>
    public static (string AuditPublicKey, IReadOnlyList<AuditEntry> Entries) Parse(string json)
    {
        JsonNode root;
        try
        {
            root = JsonNode.Parse(json) ?? throw new FormatException("the log is empty");
        }
        catch (System.Text.Json.JsonException ex)
        {
            throw new FormatException("the log is not JSON: " + ex.Message, ex);
        }
        string key = Text(root, "auditPublicKey");
        if (root["entries"] is not JsonArray array) throw new FormatException("the log has no entries array");
        var entries = new List<AuditEntry>(array.Count);
        for (int i = 0; i < array.Count; i++)
        {
            JsonNode e = array[i] ?? throw new FormatException($"entries[{i}] is null");
            try
            {
                entries.Add(new AuditEntry(e["seq"]!.GetValue<long>(),
                    DateTimeOffset.Parse(Text(e, "at"), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal),
                    Hex(e, "prev"), Hex(e, "contentHash"), Hex(e, "hash"), Hex(e, "signature")));
            }
            catch (Exception ex) when (ex is InvalidOperationException or NullReferenceException or FormatException)
            {
                throw new FormatException($"entries[{i}] is malformed: {ex.Message}", ex);
            }
        }
        return (key, entries);
    }

    private static string Text(JsonNode node, string name) =>
        node[name] is JsonValue v && v.TryGetValue(out string? s) ? s : throw new FormatException($"{name} is missing or not a string");

    private static byte[] Hex(JsonNode node, string name) => Convert.FromHexString(Text(node, name));
}
