using System.Text.Json;

namespace Keystore.Attestation.Verification;

/// <summary>The Quoting Enclave identity (id <c>TD_QE</c> for TDX) the QE report must match.</summary>
public sealed record QeIdentity(
    string Id,
    int Version,
    DateTimeOffset IssueDate,
    DateTimeOffset NextUpdate,
    uint MiscSelect,
    uint MiscSelectMask,
    byte[] Attributes,
    byte[] AttributesMask,
    byte[] MrSigner,
    ushort IsvProdId,
    IReadOnlyList<(ushort IsvSvn, TcbLevelStatus Status)> Levels,
    uint TcbEvaluationDataNumber)
{
    public static QeIdentity Parse(string json)
    {
        const string check = "qe_identity.parse";
        try
        {
            // A duplicated field would be read as its last copy here and refused by serde; Intel never signs one.
            using var doc = JsonDocument.Parse(json, new JsonDocumentOptions { AllowDuplicateProperties = false });
            var r = doc.RootElement;
            return new QeIdentity(
                r.GetProperty("id").GetString()!,
                r.GetProperty("version").GetInt32(),
                DateTimeOffset.Parse(r.GetProperty("issueDate").GetString()!, System.Globalization.CultureInfo.InvariantCulture),
                DateTimeOffset.Parse(r.GetProperty("nextUpdate").GetString()!, System.Globalization.CultureInfo.InvariantCulture),
                LeU32(r.GetProperty("miscselect").GetString()!),
                LeU32(r.GetProperty("miscselectMask").GetString()!),
                Convert.FromHexString(r.GetProperty("attributes").GetString()!),
                Convert.FromHexString(r.GetProperty("attributesMask").GetString()!),
                Convert.FromHexString(r.GetProperty("mrsigner").GetString()!),
                r.GetProperty("isvprodid").GetUInt16(),
                r.GetProperty("tcbLevels").EnumerateArray()
                    .Select(l => (l.GetProperty("tcb").GetProperty("isvsvn").GetUInt16(), TcbInfo.ReadStatus(l, check))).ToArray(),
                r.GetProperty("tcbEvaluationDataNumber").GetUInt32());
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or FormatException or InvalidOperationException or ArgumentException or OverflowException)
        {
            throw new QuoteVerificationException(check, "QE identity JSON is malformed", e);
        }
    }

    // The JSON writes miscselect as the hex of its little-endian bytes, the way the report stores it.
    private static uint LeU32(string hex) => System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(Convert.FromHexString(hex));
}
