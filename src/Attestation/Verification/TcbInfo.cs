using System.Text.Json;

namespace Keystore.Attestation.Verification;

/// <summary>TDX TCB info (v3): platform TCB levels plus the TDX module identities.</summary>
public sealed record TcbInfo(
    string Id,
    int Version,
    DateTimeOffset IssueDate,
    DateTimeOffset NextUpdate,
    byte[] Fmspc,
    byte[] PceId,
    IReadOnlyList<TcbInfo.Level> Levels,
    TcbInfo.ModuleIdentity? TdxModule,
    IReadOnlyList<TcbInfo.ModuleIdentity> TdxModuleIdentities,
    uint TcbEvaluationDataNumber)
{
    public sealed record Level(byte[] SgxComponents, ushort PceSvn, byte[] TdxComponents, TcbLevelStatus Status);

    /// <summary>A TDX module signer; <see cref="Levels"/> maps the module ISV SVN to a status (empty for the top-level <c>tdxModule</c>).</summary>
    public sealed record ModuleIdentity(string Id, byte[] MrSigner, byte[] Attributes, byte[] AttributesMask, IReadOnlyList<(ushort IsvSvn, TcbLevelStatus Status)> Levels);

    public static TcbInfo Parse(string json)
    {
        const string check = "tcb_info.parse";
        try
        {
            // A duplicated field would be read as its last copy here and refused by serde; Intel never signs one.
            using var doc = JsonDocument.Parse(json, new JsonDocumentOptions { AllowDuplicateProperties = false });
            var root = doc.RootElement;
            var levels = root.GetProperty("tcbLevels").EnumerateArray().Select(l =>
            {
                var tcb = l.GetProperty("tcb");
                var sgx = tcb.GetProperty("sgxtcbcomponents").EnumerateArray().Select(c => c.GetProperty("svn").GetByte()).ToArray();
                var tdx = tcb.TryGetProperty("tdxtcbcomponents", out var t) ? t.EnumerateArray().Select(c => c.GetProperty("svn").GetByte()).ToArray() : [];
                return new Level(sgx, tcb.GetProperty("pcesvn").GetUInt16(), tdx, ReadStatus(l, check));
            }).ToArray();
            ModuleIdentity? module = root.TryGetProperty("tdxModule", out var m) ? ReadModule(m, "") : null;
            var identities = root.TryGetProperty("tdxModuleIdentities", out var ids)
                ? ids.EnumerateArray().Select(i => ReadModule(i, i.GetProperty("id").GetString()!)).ToArray()
                : [];
            return new TcbInfo(
                root.GetProperty("id").GetString()!,
                root.GetProperty("version").GetInt32(),
                DateTimeOffset.Parse(root.GetProperty("issueDate").GetString()!, System.Globalization.CultureInfo.InvariantCulture),
                DateTimeOffset.Parse(root.GetProperty("nextUpdate").GetString()!, System.Globalization.CultureInfo.InvariantCulture),
                Convert.FromHexString(root.GetProperty("fmspc").GetString()!),
                Convert.FromHexString(root.GetProperty("pceId").GetString()!),
                levels, module, identities,
                root.GetProperty("tcbEvaluationDataNumber").GetUInt32());
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or FormatException or InvalidOperationException or ArgumentException or OverflowException)
        {
            throw new QuoteVerificationException(check, "TCB info JSON is malformed", e);
        }
    }

    private static ModuleIdentity ReadModule(JsonElement e, string id)
    {
        var levels = e.TryGetProperty("tcbLevels", out var ls)
            ? ls.EnumerateArray().Select(l => (l.GetProperty("tcb").GetProperty("isvsvn").GetUInt16(), ReadStatus(l, "tcb_info.parse"))).ToArray()
            : [];
        return new ModuleIdentity(id,
            Convert.FromHexString(e.GetProperty("mrsigner").GetString()!),
            Convert.FromHexString(e.GetProperty("attributes").GetString()!),
            Convert.FromHexString(e.GetProperty("attributesMask").GetString()!),
            levels);
    }

    internal static TcbLevelStatus ReadStatus(JsonElement level, string check)
    {
        var status = TcbLevelStatus.ParseStatus(level.GetProperty("tcbStatus").GetString()!, check);
        var advisories = level.TryGetProperty("advisoryIDs", out var a) ? a.EnumerateArray().Select(x => x.GetString()!).ToArray() : [];
        return new TcbLevelStatus(status, advisories);
    }
}
