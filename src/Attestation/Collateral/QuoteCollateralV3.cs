using System.Text.Json;
using System.Text.Json.Serialization;

namespace Keystore.Attestation.Collateral;

/// <summary>
/// DCAP collateral in dcap-qvl's <c>QuoteCollateralV3</c> JSON shape: snake_case keys, PEM issuer
/// chains, the TCB info / QE identity JSON kept as the exact signed strings, CRLs and signatures as hex.
/// </summary>
public sealed record QuoteCollateralV3
{
    [JsonPropertyName("pck_crl_issuer_chain")] public required string PckCrlIssuerChain { get; init; }
    [JsonPropertyName("root_ca_crl"), JsonConverter(typeof(HexBytesConverter))] public required byte[] RootCaCrl { get; init; }
    [JsonPropertyName("pck_crl"), JsonConverter(typeof(HexBytesConverter))] public required byte[] PckCrl { get; init; }
    [JsonPropertyName("tcb_info_issuer_chain")] public required string TcbInfoIssuerChain { get; init; }
    [JsonPropertyName("tcb_info")] public required string TcbInfo { get; init; }
    [JsonPropertyName("tcb_info_signature"), JsonConverter(typeof(HexBytesConverter))] public required byte[] TcbInfoSignature { get; init; }
    [JsonPropertyName("qe_identity_issuer_chain")] public required string QeIdentityIssuerChain { get; init; }
    [JsonPropertyName("qe_identity")] public required string QeIdentity { get; init; }
    [JsonPropertyName("qe_identity_signature"), JsonConverter(typeof(HexBytesConverter))] public required byte[] QeIdentitySignature { get; init; }

    /// <summary>Optional PCK chain (dcap-qvl attaches the quote's own). The quote's chain is always the one judged; this one, when present, must start with the same PCK certificate.</summary>
    [JsonPropertyName("pck_certificate_chain"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? PckCertificateChain { get; init; }

    private static readonly JsonSerializerOptions Options = new() { WriteIndented = false };

    public static QuoteCollateralV3 FromJson(string json) =>
        JsonSerializer.Deserialize<QuoteCollateralV3>(json, Options) ?? throw new JsonException("collateral is null");

    public string ToJson() => JsonSerializer.Serialize(this, Options);
}
