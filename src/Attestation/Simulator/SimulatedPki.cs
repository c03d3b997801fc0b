using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Keystore.Attestation.Collateral;
using Keystore.Attestation.Verification;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Math;
using Org.BouncyCastle.X509;

namespace Keystore.Attestation.Simulator;

/// <summary>
/// A local stand-in for Intel's provisioning PKI: root CA, PCK platform CA, PCK leaf (with the SGX
/// extension), TCB signing certificate, both CRLs, and signed TCB info / QE identity. Quotes signed
/// under it pass the same <see cref="DcapQuoteVerifier"/> when — and only when — its root is trusted.
/// </summary>
public sealed class SimulatedPki
{
    public const string SgxOid = PckExtension.SgxExtensionOid;

    /// <summary>The subject of Intel's TCB signing certificate (as in Intel's collateral), attribute for attribute.</summary>
    public const string TcbSigningSubject = "CN=" + CertificateChainValidator.TcbSigningCommonName + ",O=Intel Corporation,L=Santa Clara,ST=CA,C=US";

    /// <summary>MRSIGNER and ISV values the simulated Quoting Enclave reports and its QE identity expects.</summary>
    internal static readonly byte[] QeMrSigner = SHA256.HashData("keystore simulated TD quoting enclave"u8);
    internal const ushort QeIsvProdId = 2, QeIsvSvn = 4, PceSvn = 13;
    internal static readonly byte[] CpuSvn = [3, 3, 2, 2, 2, 1, 0, 3, 0, 0, 0, 0, 0, 0, 0, 0];
    internal static readonly byte[] TeeTcbSvn = [5, 1, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];

    private readonly SimulatedKey _rootKey, _pckCaKey, _tcbKey;
    internal SimulatedKey PckKey { get; }
    private readonly X509Certificate _root, _pckCa, _tcbSigner, _pckLeaf;
    private readonly X509Name _rootName, _pckCaName;

    public SimulatedTdxOptions Options { get; }
    public byte[] RootCaDer => _root.GetEncoded();
    public QuoteCollateralV3 Collateral { get; }
    public string PckChainPem { get; }

    public SimulatedPki(SimulatedTdxOptions? options = null)
    {
        Options = options ?? new SimulatedTdxOptions();
        var seed = Options.Seed ?? RandomNumberGenerator.GetBytes(32);
        _rootKey = SimulatedKey.Derive(seed, "root-ca");
        _pckCaKey = SimulatedKey.Derive(seed, "pck-platform-ca");
        _tcbKey = SimulatedKey.Derive(seed, "tcb-signing");
        PckKey = SimulatedKey.Derive(seed, "pck-leaf");

        var from = Options.ValidFrom.UtcDateTime;
        // Certificates outlive the collateral window by a margin (as Intel's do).
        var until = Options.ValidUntil.UtcDateTime.AddYears(1);
        _rootName = new X509Name("CN=Keystore Simulated SGX Root CA,O=Keystore Simulator,C=US");
        _pckCaName = new X509Name("CN=Keystore Simulated PCK Platform CA,O=Keystore Simulator,C=US");
        _root = Issue(1, _rootName, _rootName, _rootKey, _rootKey, from, until, ca: true);
        _pckCa = Issue(2, _pckCaName, _rootName, _pckCaKey, _rootKey, from, until, ca: true);
        // Verifiers take TCB info and QE identity only from a certificate with the subject of Intel's TCB
        // signing certificate (which this copies), issued directly by the root: the simulator's signer is one.
        _tcbSigner = Issue(3, new X509Name(TcbSigningSubject), _rootName, _tcbKey, _rootKey, from, until, ca: false);
        _pckLeaf = Issue(4, new X509Name("CN=Keystore Simulated PCK Certificate,O=Keystore Simulator,C=US"), _pckCaName, PckKey, _pckCaKey, from, until, ca: false,
            sgxExtension: SgxExtension(Options));

        PckChainPem = Pem(_pckLeaf, _pckCa, _root);
        Collateral = CollateralSignedBy(SimulatedCollateralSigner.TcbSigning);
    }

    /// <summary>
    /// This PKI's collateral with TCB info and QE identity signed by <paramref name="signer"/>, its certificate
    /// chain as their issuer chain. Anything but <see cref="SimulatedCollateralSigner.TcbSigning"/> is a forgery
    /// that chains to the root, which verifiers must refuse (tests use them).
    /// </summary>
    public QuoteCollateralV3 CollateralSignedBy(SimulatedCollateralSigner signer)
    {
        var (key, chain) = signer switch
        {
            SimulatedCollateralSigner.TcbSigning => (_tcbKey, Pem(_tcbSigner, _root)),
            SimulatedCollateralSigner.PckLeaf => (PckKey, PckChainPem),
            SimulatedCollateralSigner.PckPlatformCa => (_pckCaKey, Pem(_pckCa, _root)),
            _ => throw new ArgumentOutOfRangeException(nameof(signer)),
        };
        var from = Options.ValidFrom.UtcDateTime;
        var tcbInfo = TcbInfoJson(Options);
        var qeIdentity = QeIdentityJson(Options);
        return new QuoteCollateralV3
        {
            PckCrlIssuerChain = Pem(_pckCa, _root),
            RootCaCrl = Crl(_rootName, _rootKey, from, Options.ValidUntil.UtcDateTime),
            PckCrl = Crl(_pckCaName, _pckCaKey, from, Options.ValidUntil.UtcDateTime),
            TcbInfoIssuerChain = chain,
            TcbInfo = tcbInfo,
            TcbInfoSignature = key.SignRaw(Encoding.UTF8.GetBytes(tcbInfo)),
            QeIdentityIssuerChain = chain,
            QeIdentity = qeIdentity,
            QeIdentitySignature = key.SignRaw(Encoding.UTF8.GetBytes(qeIdentity)),
        };
    }

    /// <summary>
    /// This PKI's genuine collateral with the given TCB info and QE identity JSON, signed by the genuine TCB signing key:
    /// what an attacker holding that key could issue. Tests use it to check the rules applied to signed content.
    /// </summary>
    internal QuoteCollateralV3 Resigned(string tcbInfo, string qeIdentity) => Collateral with
    {
        TcbInfo = tcbInfo,
        TcbInfoSignature = _tcbKey.SignRaw(Encoding.UTF8.GetBytes(tcbInfo)),
        QeIdentity = qeIdentity,
        QeIdentitySignature = _tcbKey.SignRaw(Encoding.UTF8.GetBytes(qeIdentity)),
    };

    /// <summary>Convenience: a PKI from a seed with otherwise default options.</summary>
    public SimulatedPki(int seed) : this(new SimulatedTdxOptions { Seed = BitConverter.GetBytes(seed) }) { }

    private static X509Certificate Issue(long serial, X509Name subject, X509Name issuer, SimulatedKey subjectKey, SimulatedKey issuerKey,
        DateTime from, DateTime until, bool ca, Asn1Encodable? sgxExtension = null)
    {
        var g = new X509V3CertificateGenerator();
        g.SetSerialNumber(BigInteger.ValueOf(serial));
        g.SetSubjectDN(subject);
        g.SetIssuerDN(issuer);
        g.SetNotBefore(from);
        g.SetNotAfter(until);
        g.SetPublicKey(subjectKey.Public);
        g.AddExtension(X509Extensions.BasicConstraints, true, new BasicConstraints(ca));
        g.AddExtension(X509Extensions.KeyUsage, true, new KeyUsage(ca ? KeyUsage.KeyCertSign | KeyUsage.CrlSign : KeyUsage.DigitalSignature | KeyUsage.NonRepudiation));
        if (sgxExtension is not null) g.AddExtension(new DerObjectIdentifier(SgxOid), false, sgxExtension);
        return g.Generate(issuerKey.CertificateSigner);
    }

    /// <summary>
    /// A second PCK chain for the same PCK key: a leaf with another serial (and the same SGX extension) under the
    /// genuine PCK CA. Tests use it as a collateral-supplied chain that is valid but not the quote's own.
    /// </summary>
    internal string OtherPckChainForTheSameKey()
    {
        var from = Options.ValidFrom.UtcDateTime;
        var leaf = Issue(5, new X509Name("CN=Keystore Simulated PCK Certificate,O=Keystore Simulator,C=US"), _pckCaName, PckKey, _pckCaKey,
            from, Options.ValidUntil.UtcDateTime.AddYears(1), ca: false, sgxExtension: SgxExtension(Options));
        return Pem(leaf, _pckCa, _root);
    }

    /// <summary>Serial numbers of this PKI's certificates, for tests that revoke one of them.</summary>
    internal const long RootSerial = 1, PckCaSerial = 2, TcbSigningSerial = 3, PckLeafSerial = 4;

    /// <summary>
    /// A root CA CRL (<paramref name="pck"/> false) or PCK CRL naming its genuine issuer, valid from <paramref name="from"/> to
    /// <paramref name="until"/>, revoking <paramref name="revoked"/>; signed by the issuer's key unless <paramref name="signedByTcbKey"/>.
    /// Tests use it to forge revocation lists.
    /// </summary>
    internal byte[] CrlFor(bool pck, DateTime from, DateTime until, bool signedByTcbKey = false, params long[] revoked) =>
        Crl(pck ? _pckCaName : _rootName, signedByTcbKey ? _tcbKey : pck ? _pckCaKey : _rootKey, from, until, revoked);

    private static byte[] Crl(X509Name issuer, SimulatedKey key, DateTime from, DateTime until, params long[] revoked)
    {
        var g = new X509V2CrlGenerator();
        g.SetIssuerDN(issuer);
        g.SetThisUpdate(from);
        g.SetNextUpdate(until);
        // One revoked serial that no simulator certificate uses, so revocation lookups run over a non-empty list.
        g.AddCrlEntry(BigInteger.ValueOf(0x7fff_0001), from, CrlReason.KeyCompromise);
        foreach (var serial in revoked) g.AddCrlEntry(BigInteger.ValueOf(serial), from, CrlReason.KeyCompromise);
        g.AddExtension(X509Extensions.CrlNumber, false, new CrlNumber(BigInteger.One));
        return g.Generate(key.CertificateSigner).GetEncoded();
    }

    /// <summary>The Intel SGX extension layout: a SEQUENCE of (OID, value) pairs, TCB as a nested list.</summary>
    private static Asn1Encodable SgxExtension(SimulatedTdxOptions o)
    {
        static DerSequence Pair(string oid, Asn1Encodable value) => new(new DerObjectIdentifier(oid), value);
        var tcb = new Asn1EncodableVector();
        for (var i = 0; i < 16; i++) tcb.Add(Pair($"{SgxOid}.2.{i + 1}", DerInteger.ValueOf(CpuSvn[i])));
        tcb.Add(Pair($"{SgxOid}.2.17", DerInteger.ValueOf(PceSvn)));
        tcb.Add(Pair($"{SgxOid}.2.18", new DerOctetString(CpuSvn)));
        return new DerSequence(
            Pair($"{SgxOid}.1", new DerOctetString(o.Ppid)),
            Pair($"{SgxOid}.2", new DerSequence(tcb)),
            Pair($"{SgxOid}.3", new DerOctetString(new byte[2])),
            Pair($"{SgxOid}.4", new DerOctetString(o.Fmspc)),
            Pair($"{SgxOid}.5", new DerEnumerated(1)));
    }

    private static string Date(DateTimeOffset d) => d.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);

    private static string TcbInfoJson(SimulatedTdxOptions o)
    {
        using var ms = new MemoryStream();
        using (var w = new Utf8JsonWriter(ms))
        {
            w.WriteStartObject();
            w.WriteString("id", "TDX");
            w.WriteNumber("version", 3);
            w.WriteString("issueDate", Date(o.ValidFrom));
            w.WriteString("nextUpdate", Date(o.ValidUntil));
            w.WriteString("fmspc", Convert.ToHexString(o.Fmspc));
            w.WriteString("pceId", "0000");
            w.WriteNumber("tcbType", 0);
            w.WriteNumber("tcbEvaluationDataNumber", o.TcbEvaluationDataNumber);
            w.WriteStartObject("tdxModule");
            WriteModule(w);
            w.WriteEndObject();
            w.WriteStartArray("tdxModuleIdentities");
            w.WriteStartObject();
            w.WriteString("id", $"TDX_{TeeTcbSvn[1]:X2}");
            WriteModule(w);
            w.WriteStartArray("tcbLevels");
            WriteLevel(w, o, () => w.WriteNumber("isvsvn", TeeTcbSvn[0]), TcbStatus.UpToDate, []);
            w.WriteEndArray();
            w.WriteEndObject();
            w.WriteEndArray();
            w.WriteStartArray("tcbLevels");
            WriteLevel(w, o, () =>
            {
                WriteComponents(w, "sgxtcbcomponents", CpuSvn);
                w.WriteNumber("pcesvn", PceSvn);
                WriteComponents(w, "tdxtcbcomponents", TeeTcbSvn);
            }, o.PlatformStatus, o.AdvisoryIds);
            w.WriteEndArray();
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(ms.ToArray());
    }

    private static void WriteModule(Utf8JsonWriter w)
    {
        w.WriteString("mrsigner", Convert.ToHexString(new byte[48]));
        w.WriteString("attributes", "0000000000000000");
        w.WriteString("attributesMask", "FFFFFFFFFFFFFFFF");
    }

    private static void WriteComponents(Utf8JsonWriter w, string name, byte[] svns)
    {
        w.WriteStartArray(name);
        foreach (var s in svns) { w.WriteStartObject(); w.WriteNumber("svn", s); w.WriteEndObject(); }
        w.WriteEndArray();
    }

    private static void WriteLevel(Utf8JsonWriter w, SimulatedTdxOptions o, Action tcb, TcbStatus status, IReadOnlyList<string> advisories)
    {
        w.WriteStartObject();
        w.WriteStartObject("tcb");
        tcb();
        w.WriteEndObject();
        w.WriteString("tcbDate", Date(o.ValidFrom));
        w.WriteString("tcbStatus", status.ToString());
        if (advisories.Count > 0)
        {
            w.WriteStartArray("advisoryIDs");
            foreach (var a in advisories) w.WriteStringValue(a);
            w.WriteEndArray();
        }
        w.WriteEndObject();
    }

    private static string QeIdentityJson(SimulatedTdxOptions o)
    {
        using var ms = new MemoryStream();
        using (var w = new Utf8JsonWriter(ms))
        {
            w.WriteStartObject();
            w.WriteString("id", "TD_QE");
            w.WriteNumber("version", 2);
            w.WriteString("issueDate", Date(o.ValidFrom));
            w.WriteString("nextUpdate", Date(o.ValidUntil));
            w.WriteNumber("tcbEvaluationDataNumber", o.TcbEvaluationDataNumber);
            w.WriteString("miscselect", "00000000");
            w.WriteString("miscselectMask", "FFFFFFFF");
            w.WriteString("attributes", "11000000000000000000000000000000");
            w.WriteString("attributesMask", "FBFFFFFFFFFFFFFF0000000000000000");
            w.WriteString("mrsigner", Convert.ToHexString(QeMrSigner));
            w.WriteNumber("isvprodid", QeIsvProdId);
            w.WriteStartArray("tcbLevels");
            WriteLevel(w, o, () => w.WriteNumber("isvsvn", QeIsvSvn), TcbStatus.UpToDate, []);
            w.WriteEndArray();
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(ms.ToArray());
    }

    private static string Pem(params X509Certificate[] certs) => string.Concat(certs.Select(c =>
        "-----BEGIN CERTIFICATE-----\n" + Convert.ToBase64String(c.GetEncoded(), Base64FormattingOptions.InsertLineBreaks).Replace("\r\n", "\n") + "\n-----END CERTIFICATE-----\n"));
}
