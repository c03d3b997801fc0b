using System.Security.Cryptography;
using System.Text;
using Keystore.Attestation.Collateral;
using Keystore.Attestation.Quotes;
using Org.BouncyCastle.X509;

namespace Keystore.Attestation.Verification;

/// <summary>
/// Intel DCAP verification of a TDX quote v4, one top-down pipeline whose steps follow Intel's
/// appraisal rules (in the order dcap-qvl applies them): collateral windows and signatures, PCK
/// chain, QE report, QE identity, quote signature, platform TCB level, TDX module, TD attributes.
/// </summary>
public sealed class DcapQuoteVerifier
{
    private readonly X509Certificate _root;
    private readonly uint _minTcbEvaluationDataNumber;

    /// <param name="rootCaDer">Trust anchor; defaults to the pinned Intel SGX Root CA. Tests and the local simulator pass their own.</param>
    /// <param name="minTcbEvaluationDataNumber">
    /// TCB info and QE identity with a lower <c>tcbEvaluationDataNumber</c> are refused (0: any). Intel raises the
    /// number at every TCB recovery, and superseded collateral stays inside its own validity window for weeks.
    /// </param>
    public DcapQuoteVerifier(byte[]? rootCaDer = null, uint minTcbEvaluationDataNumber = 0)
    {
        _root = new X509CertificateParser().ReadCertificate(rootCaDer ?? IntelRootCa.Der);
        _minTcbEvaluationDataNumber = minTcbEvaluationDataNumber;
    }

    public static DcapQuoteVerifier Intel { get; } = new();

    public VerifiedQuote Verify(ReadOnlySpan<byte> rawQuote, QuoteCollateralV3 collateral, DateTimeOffset at)
    {
        var now = at.UtcDateTime;

        TdxQuote quote;
        try { quote = TdxQuote.Parse(rawQuote); }
        catch (QuoteParseException e) { throw new QuoteVerificationException("quote.parse", e.Message, e); }
        if (quote.Header.AttestationKeyType != QuoteHeader.AttestationKeyEcdsaP256)
            throw new QuoteVerificationException("quote.attestation_key_type", "only ECDSA P-256 attestation keys are supported");

        // Collateral first: nothing in the quote is trusted until the signed collateral is.
        var tcbInfo = TcbInfo.Parse(collateral.TcbInfo);
        CheckWindow(tcbInfo.IssueDate, tcbInfo.NextUpdate, at, "tcb_info.window");

        var (rootCrl, pckCrl) = ParseCrls(collateral);
        var chains = new CertificateChainValidator(_root, rootCrl, pckCrl);
        chains.CheckRootNotRevoked("root_ca.crl");

        var tcbSigner = chains.ValidateTcbSigner(CertificateChainValidator.ParsePem(collateral.TcbInfoIssuerChain, "tcb_info.chain"), now, "tcb_info.chain", "tcb_info.signer");
        VerifyP256(tcbSigner, Encoding.UTF8.GetBytes(collateral.TcbInfo), collateral.TcbInfoSignature, "tcb_info.signature");
        CheckEvaluationNumber(tcbInfo.TcbEvaluationDataNumber, "tcb_info.evaluation_data_number", "TCB info");

        var qeIdentity = QeIdentity.Parse(collateral.QeIdentity);
        CheckWindow(qeIdentity.IssueDate, qeIdentity.NextUpdate, at, "qe_identity.window");
        var qeSigner = chains.ValidateTcbSigner(CertificateChainValidator.ParsePem(collateral.QeIdentityIssuerChain, "qe_identity.chain"), now, "qe_identity.chain", "qe_identity.signer");
        VerifyP256(qeSigner, Encoding.UTF8.GetBytes(collateral.QeIdentity), collateral.QeIdentitySignature, "qe_identity.signature");
        CheckEvaluationNumber(qeIdentity.TcbEvaluationDataNumber, "qe_identity.evaluation_data_number", "QE identity");
        if (qeIdentity.Id != "TD_QE" || qeIdentity.Version is not (2 or 3))
            throw new QuoteVerificationException("qe_identity.id", $"expected TD_QE v2/v3, got {qeIdentity.Id} v{qeIdentity.Version}");

        // PCK chain: the quote's own (type 5), as Intel's QVL judges it. A chain the collateral also carries (dcap-qvl's
        // get_collateral attaches the quote's) must name the same PCK certificate: otherwise whoever supplies collateral
        // would choose the certificate, and with it the TCB (CPUSVN, PCESVN, FMSPC) the platform is judged by.
        var sig = quote.Signature;
        var pckChain = CertificateChainValidator.ParsePem(Encoding.ASCII.GetString(sig.PckCertChainPem), "pck.chain");
        if (collateral.PckCertificateChain is { } supplied)
        {
            var suppliedChain = CertificateChainValidator.ParsePem(supplied, "pck.chain");
            if (suppliedChain.Count == 0 || pckChain.Count == 0 || !suppliedChain[0].Equals(pckChain[0]))
                throw new QuoteVerificationException("pck.chain", "the collateral's PCK certificate is not the one the quote carries");
        }
        var pckLeaf = chains.Validate(pckChain, now, "pck.chain");

        VerifyP256(pckLeaf, sig.QeReport.Raw, sig.QeReportSignature, "qe_report.signature");

        // The QE binds the attestation key to its report: report_data[0..32] = SHA256(key || auth data).
        var expectedHash = SHA256.HashData([.. sig.AttestationKey, .. sig.QeAuthData]);
        if (!CryptographicOperations.FixedTimeEquals(expectedHash, sig.QeReport.ReportData.AsSpan(0, 32)))
            throw new QuoteVerificationException("qe_report.hash", "QE report data does not bind the attestation key");

        var qeStatus = CheckQeIdentity(sig.QeReport, qeIdentity);

        VerifyRawKey(sig.AttestationKey, quote.SignedRegion, sig.QuoteSignature, "quote.signature");

        var pck = PckExtension.FromCertificate(pckLeaf);
        if (!pck.Fmspc.AsSpan().SequenceEqual(tcbInfo.Fmspc))
            throw new QuoteVerificationException("tcb_info.fmspc", "FMSPC of the PCK certificate does not match the TCB info");
        // Intel's QVL matches the PCE ID as well as the FMSPC (STATUS_TCB_INFO_MISMATCH): the levels' PCE SVNs are those of one PCE.
        if (!pck.PceId.AsSpan().SequenceEqual(tcbInfo.PceId))
            throw new QuoteVerificationException("tcb_info.pce_id", "PCE ID of the PCK certificate does not match the TCB info");
        if (tcbInfo.Id != "TDX" || tcbInfo.Version < 3)
            throw new QuoteVerificationException("tcb_info.id", $"TDX quote needs TDX TCB info v3, got {tcbInfo.Id} v{tcbInfo.Version}");

        var platform = MatchPlatformTcb(tcbInfo, quote.Report, pck);
        var module = MatchTdxModule(tcbInfo, quote.Report);
        var final = platform.Merge(qeStatus);
        if (module is not null) final = final.Merge(module);
        if (final.Status == TcbStatus.Revoked)
            throw new QuoteVerificationException("tcb.status", "platform TCB is revoked");

        CheckTdAttributes(quote.Report);

        return new VerifiedQuote(final.Status, final.AdvisoryIds, quote.Report, pck.Ppid, pck.Fmspc, quote);
    }

    private static void CheckWindow(DateTimeOffset issue, DateTimeOffset next, DateTimeOffset at, string check)
    {
        if (at < issue) throw new QuoteVerificationException(check, $"issued in the future ({issue:O})");
        if (at > next) throw new QuoteVerificationException(check, $"expired at {next:O}");
    }

    private void CheckEvaluationNumber(uint number, string check, string what)
    {
        if (number < _minTcbEvaluationDataNumber)
            throw new QuoteVerificationException(check, $"{what} tcbEvaluationDataNumber {number} is below the required minimum {_minTcbEvaluationDataNumber} (superseded collateral)");
    }

    private static (X509Crl Root, X509Crl Pck) ParseCrls(QuoteCollateralV3 c)
    {
        try
        {
            var p = new X509CrlParser();
            var root = p.ReadCrl(c.RootCaCrl);
            var pck = p.ReadCrl(c.PckCrl);
            CertificateChainValidator.RequireCanonical(root.GetEncoded(), c.RootCaCrl, "crl.parse");
            CertificateChainValidator.RequireCanonical(pck.GetEncoded(), c.PckCrl, "crl.parse");
            return (root, pck);
        }
        catch (Exception e) when (e is not QuoteVerificationException)
        {
            throw new QuoteVerificationException("crl.parse", "CRL is malformed", e);
        }
    }

    private static void VerifyP256(X509Certificate signer, byte[] data, byte[] rawSignature, string check)
    {
        using var key = ECDsa.Create();
        try { key.ImportSubjectPublicKeyInfo(signer.CertificateStructure.SubjectPublicKeyInfo.GetDerEncoded(), out _); }
        catch (CryptographicException e) { throw new QuoteVerificationException(check, "signer key is not P-256", e); }
        if (rawSignature.Length != 64 || !key.VerifyData(data, rawSignature, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation))
            throw new QuoteVerificationException(check, "ECDSA signature is invalid");
    }

    private static void VerifyRawKey(byte[] xy, ReadOnlySpan<byte> data, byte[] rawSignature, string check)
    {
        try
        {
            using var key = ECDsa.Create(new ECParameters { Curve = ECCurve.NamedCurves.nistP256, Q = new ECPoint { X = xy[..32], Y = xy[32..] } });
            if (key.VerifyData(data, rawSignature, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation)) return;
        }
        catch (CryptographicException e) { throw new QuoteVerificationException(check, "attestation key is not a P-256 point", e); }
        throw new QuoteVerificationException(check, "quote signature is invalid");
    }

    private static TcbLevelStatus CheckQeIdentity(EnclaveReport qe, QeIdentity id)
    {
        const string check = "qe_identity.policy";
        if (!qe.MrSigner.AsSpan().SequenceEqual(id.MrSigner)) throw new QuoteVerificationException(check, "QE MRSIGNER mismatch");
        if (qe.IsvProdId != id.IsvProdId) throw new QuoteVerificationException(check, "QE ISVPRODID mismatch");
        if ((qe.Attributes[0] & 0x02) != 0) throw new QuoteVerificationException(check, "QE is a debug enclave");
        if ((qe.MiscSelect & id.MiscSelectMask) != (id.MiscSelect & id.MiscSelectMask)) throw new QuoteVerificationException(check, "QE MISCSELECT mismatch");
        if (id.Attributes.Length != 16 || id.AttributesMask.Length != 16) throw new QuoteVerificationException(check, "QE identity attributes must be 16 bytes");
        for (var i = 0; i < 16; i++)
            if ((qe.Attributes[i] & id.AttributesMask[i]) != (id.Attributes[i] & id.AttributesMask[i]))
                throw new QuoteVerificationException(check, "QE ATTRIBUTES mismatch");
        // Levels are sorted newest first: the first level the QE's ISV SVN reaches is its status.
        foreach (var (isvSvn, status) in id.Levels)
            if (qe.IsvSvn >= isvSvn) return status;
        throw new QuoteVerificationException("qe_identity.tcb", "QE ISV SVN is below every TCB level");
    }

    private static TcbLevelStatus MatchPlatformTcb(TcbInfo info, TdReport report, PckExtension pck)
    {
        // With a TDX module version in TEE_TCB_SVN[1], its first two bytes describe the module and are
        // judged by the module identity instead (Intel TDX appraisal rules).
        var tdxStart = report.TeeTcbSvn[1] > 0 ? 2 : 0;
        foreach (var level in info.Levels)
        {
            if (pck.PceSvn < level.PceSvn) continue;
            if (level.SgxComponents.Length != 16) throw new QuoteVerificationException("tcb.level", "TCB level lacks 16 SGX components");
            if (!AtLeast(pck.CpuSvn, level.SgxComponents, 0)) continue;
            if (level.TdxComponents.Length != 16) throw new QuoteVerificationException("tcb.level", "TCB level lacks 16 TDX components");
            if (!AtLeast(report.TeeTcbSvn, level.TdxComponents, tdxStart)) continue;
            return level.Status;
        }
        throw new QuoteVerificationException("tcb.level", "no TCB level matches the platform");
    }

    private static bool AtLeast(byte[] actual, byte[] required, int start)
    {
        for (var i = start; i < required.Length; i++)
            if (actual[i] < required[i]) return false;
        return true;
    }

    /// <summary>
    /// TEE_TCB_SVN[1] selects the TDX module identity (<c>TDX_%02X</c>) and TEE_TCB_SVN[0] is that module's
    /// ISV SVN. A zero selector names no identity, so the base <c>tdxModule</c> signer applies instead.
    /// </summary>
    private static TcbLevelStatus? MatchTdxModule(TcbInfo info, TdReport report)
    {
        const string check = "tdx_module";
        var version = report.TeeTcbSvn[1];
        if (version == 0 || info.TdxModuleIdentities.Count == 0)
        {
            if (info.TdxModule is { } top && !ModuleMatches(top, report))
                throw new QuoteVerificationException(check, "TDX module signer or attributes do not match tdxModule");
            return null;
        }
        var id = $"TDX_{version:X2}";
        var identity = info.TdxModuleIdentities.FirstOrDefault(m => string.Equals(m.Id, id, StringComparison.OrdinalIgnoreCase))
            ?? throw new QuoteVerificationException(check, $"no TDX module identity {id}");
        if (!ModuleMatches(identity, report))
            throw new QuoteVerificationException(check, $"TDX module signer or attributes do not match {id}");
        foreach (var (isvSvn, status) in identity.Levels)
            if (report.TeeTcbSvn[0] >= isvSvn) return status;
        throw new QuoteVerificationException(check, $"TDX module SVN {report.TeeTcbSvn[0]} is below every level of {id}");
    }

    private static bool ModuleMatches(TcbInfo.ModuleIdentity m, TdReport report)
    {
        if (!m.MrSigner.AsSpan().SequenceEqual(report.MrSignerSeam)) return false;
        if (m.Attributes.Length != 8 || m.AttributesMask.Length != 8) return false;
        for (var i = 0; i < 8; i++)
            if ((report.SeamAttributes[i] & m.AttributesMask[i]) != (m.Attributes[i] & m.AttributesMask[i])) return false;
        return true;
    }

    private static void CheckTdAttributes(TdReport report)
    {
        const string check = "td_attributes";
        var a = report.TdAttributes;
        // Byte 0 is TUD (debug and its reserved bits): any bit set means the host can inspect the TD.
        if (a[0] != 0) throw new QuoteVerificationException(check, "TD is in debug mode");
        var reservedSec = a[1] | a[2] | (a[3] & 0x0f) | (a[3] & 0x20);
        var reservedOther = a[4] | a[5] | a[6] | (a[7] & 0x7f);
        if (reservedSec != 0 || reservedOther != 0) throw new QuoteVerificationException(check, "reserved TD attribute bits are set");
        // Without SEPT_VE_DISABLE the guest can be fed #VE on EPT violations, which a malicious host can abuse.
        if ((a[3] & 0x10) == 0) throw new QuoteVerificationException(check, "SEPT_VE_DISABLE is not set");
    }
}
