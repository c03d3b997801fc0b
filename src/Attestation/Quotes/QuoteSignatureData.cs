namespace Keystore.Attestation.Quotes;

/// <summary>
/// ECDSA quote signature data (v4): the quote signature, the attestation public key and the QE
/// certification data (type 6), which nests the QE report, its PCK signature, the QE auth data and
/// the type-5 PCK certificate chain.
/// </summary>
public sealed record QuoteSignatureData(
    byte[] QuoteSignature,
    byte[] AttestationKey,
    EnclaveReport QeReport,
    byte[] QeReportSignature,
    byte[] QeAuthData,
    ushort PckCertType,
    byte[] PckCertChainPem)
{
    public const ushort CertTypeQeReport = 6;
    public const ushort CertTypePckChain = 5;

    internal static QuoteSignatureData Read(ref QuoteReader r)
    {
        var signature = r.Bytes(64, "signature_data.quote_signature");
        var key = r.Bytes(64, "signature_data.attestation_key");
        var certType = r.U16("signature_data.certification_data.type");
        if (certType != CertTypeQeReport)
            throw new QuoteParseException("signature_data.certification_data.type", $"expected {CertTypeQeReport} (QE report certification data), got {certType}");
        var size = r.U32("signature_data.certification_data.size");
        if (size > int.MaxValue || size != r.Remaining)
            throw new QuoteParseException("signature_data.certification_data.size", $"declares {size} bytes but {r.Remaining} remain");
        var cert = new QuoteReader(r.Take((int)size, "signature_data.certification_data"));

        var qeReport = EnclaveReport.Read(ref cert);
        var qeSig = cert.Bytes(64, "qe_report_signature");
        var authLen = cert.U16("qe_auth_data.size");
        var auth = cert.Bytes(authLen, "qe_auth_data");
        var pckType = cert.U16("pck_cert_data.type");
        if (pckType != CertTypePckChain)
            throw new QuoteParseException("pck_cert_data.type", $"expected {CertTypePckChain} (PCK certificate chain), got {pckType}");
        var pckLen = cert.U32("pck_cert_data.size");
        if (pckLen != cert.Remaining)
            throw new QuoteParseException("pck_cert_data.size", $"declares {pckLen} bytes but {cert.Remaining} remain");
        var pem = cert.Bytes((int)pckLen, "pck_cert_data");
        return new QuoteSignatureData(signature, key, qeReport, qeSig, auth, pckType, pem);
    }
}
