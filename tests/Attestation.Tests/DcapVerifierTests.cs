using FsCheck;
using FsCheck.Fluent;
using Keystore.Attestation.Collateral;
using Keystore.Attestation.Quotes;
using Keystore.Attestation.Verification;

namespace Keystore.Attestation.Tests;

public class DcapVerifierTests
{
    [Fact]
    public void Sample_quote_is_up_to_date()
    {
        var r = DcapQuoteVerifier.Intel.Verify(Vectors.SampleQuote, Vectors.SampleCollateral, Vectors.SampleTime);
        Assert.Equal(TcbStatus.UpToDate, r.Status);
        Assert.Empty(r.AdvisoryIds);
        Assert.Equal("b0c06f000000", Convert.ToHexStringLower(r.Fmspc));
        Assert.Equal(16, r.Ppid.Length);
    }

    [Fact]
    public void Collateral_round_trips_through_json()
    {
        var c = Vectors.SampleCollateral;
        var again = QuoteCollateralV3.FromJson(c.ToJson());
        Assert.Equal(c.TcbInfo, again.TcbInfo);
        Assert.Equal(c.PckCrl, again.PckCrl);
        Assert.Equal(c.QeIdentitySignature, again.QeIdentitySignature);
        DcapQuoteVerifier.Intel.Verify(Vectors.SampleQuote, again, Vectors.SampleTime);
    }

    [Fact]
    public void Expired_collateral_is_rejected()
    {
        var c = Vectors.SampleCollateral;
        var next = TcbInfo.Parse(c.TcbInfo).NextUpdate;
        var e = Assert.Throws<QuoteVerificationException>(() => DcapQuoteVerifier.Intel.Verify(Vectors.SampleQuote, c, next.AddDays(1)));
        Assert.Equal("tcb_info.window", e.Check);
        e = Assert.Throws<QuoteVerificationException>(() => DcapQuoteVerifier.Intel.Verify(Vectors.SampleQuote, c, DateTimeOffset.FromUnixTimeSeconds(1700000000)));
        Assert.Equal("tcb_info.window", e.Check);
    }

    [Fact]
    public void Wrong_root_is_rejected()
    {
        using var key = System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP256);
        var req = new System.Security.Cryptography.X509Certificates.CertificateRequest("CN=Intel SGX Root CA", key, System.Security.Cryptography.HashAlgorithmName.SHA256);
        var otherRoot = req.CreateSelfSigned(DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch.AddYears(100)).RawData;
        var e = Assert.Throws<QuoteVerificationException>(() => new DcapQuoteVerifier(otherRoot).Verify(Vectors.SampleQuote, Vectors.SampleCollateral, Vectors.SampleTime));
        Assert.Equal("tcb_info.chain", e.Check);
    }

    [Fact]
    public void Tampered_tcb_info_status_is_rejected()
    {
        var c = Vectors.SampleCollateral;
        var tampered = c with { TcbInfo = c.TcbInfo.Replace("\"OutOfDate\"", "\"UpToDate\"") };
        Assert.NotEqual(c.TcbInfo, tampered.TcbInfo);
        var e = Assert.Throws<QuoteVerificationException>(() => DcapQuoteVerifier.Intel.Verify(Vectors.SampleQuote, tampered, Vectors.SampleTime));
        Assert.Equal("tcb_info.signature", e.Check);
    }

    [Fact]
    public void Non_canonical_der_certificate_is_rejected()
    {
        // BER allows any non-zero byte for TRUE; a re-encoding verifier would accept this altered certificate.
        var c = Vectors.SampleCollateral;
        var certs = new Org.BouncyCastle.X509.X509CertificateParser().ReadCertificates(System.Text.Encoding.ASCII.GetBytes(c.TcbInfoIssuerChain)).Select(x => x.GetEncoded()).ToArray();
        var der = certs[0];
        var i = der.AsSpan().IndexOf(new byte[] { 0x06, 0x03, 0x55, 0x1d, 0x13, 0x01, 0x01, 0xff }) + 7; // basicConstraints critical = TRUE
        Assert.True(i > 7);
        der[i] = 0x7f;
        var pem = string.Concat(certs.Select(d => "-----BEGIN CERTIFICATE-----\n" + Convert.ToBase64String(d) + "\n-----END CERTIFICATE-----\n"));
        var e = Assert.Throws<QuoteVerificationException>(() => DcapQuoteVerifier.Intel.Verify(Vectors.SampleQuote, c with { TcbInfoIssuerChain = pem }, Vectors.SampleTime));
        Assert.Equal("tcb_info.chain", e.Check);
    }

    [Fact]
    public void Qe_report_not_binding_the_attestation_key_is_rejected()
    {
        var raw = Vectors.SampleQuote;
        raw[700] ^= 1; // first byte of the attestation key: breaks SHA256(key || auth) in the QE report
        var e = Assert.Throws<QuoteVerificationException>(() => DcapQuoteVerifier.Intel.Verify(raw, Vectors.SampleCollateral, Vectors.SampleTime));
        Assert.Equal("qe_report.hash", e.Check);
    }

    [Fact]
    public void Chain_without_its_issuers_crl_is_rejected()
    {
        var c = Vectors.SampleCollateral;
        var e = Assert.Throws<QuoteVerificationException>(() => DcapQuoteVerifier.Intel.Verify(Vectors.SampleQuote, c with { PckCrl = c.RootCaCrl }, Vectors.SampleTime));
        Assert.Equal("pck.chain", e.Check);
        Assert.Contains("no CRL", e.Message);
    }

    private static Exception? Rejects(Func<VerifiedQuote> f)
    {
        try { f(); return null; }
        catch (Exception e) { return e; }
    }

    private static readonly int SignedLength = TdxQuote.SignedLength;

    [Property(MaxTest = 200, Arbitrary = [typeof(Positions)])]
    public bool Any_bit_flip_in_signed_quote_region_is_rejected(Position p)
    {
        var raw = Vectors.SampleQuote;
        var i = p.Value % SignedLength;
        raw[i] ^= (byte)(1 << p.Bit);
        return Rejects(() => DcapQuoteVerifier.Intel.Verify(raw, Vectors.SampleCollateral, Vectors.SampleTime)) is QuoteVerificationException;
    }

    [Property(MaxTest = 200, Arbitrary = [typeof(Positions)])]
    public bool Any_bit_flip_in_qe_report_or_its_signature_is_rejected(Position p)
    {
        var raw = Vectors.SampleQuote;
        // QE report (384) + its signature (64) start after header, body, length, quote sig, key, cert type/size.
        const int qeStart = 632 + 4 + 64 + 64 + 6;
        var i = qeStart + p.Value % (EnclaveReport.Size + 64);
        raw[i] ^= (byte)(1 << p.Bit);
        return Rejects(() => DcapQuoteVerifier.Intel.Verify(raw, Vectors.SampleCollateral, Vectors.SampleTime)) is QuoteVerificationException;
    }

    [Property(MaxTest = 200, Arbitrary = [typeof(Positions)])]
    public bool Any_bit_flip_in_tcb_info_json_is_rejected(Position p)
    {
        var c = Vectors.SampleCollateral;
        var chars = c.TcbInfo.ToCharArray();
        var i = p.Value % chars.Length;
        chars[i] = (char)(chars[i] ^ (1 << (p.Bit % 7))); // stay in ASCII so the string is still a string
        var tampered = c with { TcbInfo = new string(chars) };
        return Rejects(() => DcapQuoteVerifier.Intel.Verify(Vectors.SampleQuote, tampered, Vectors.SampleTime)) is QuoteVerificationException;
    }

    [Property(MaxTest = 200, Arbitrary = [typeof(Positions)])]
    public bool Any_bit_flip_in_a_certificate_is_rejected(Position p)
    {
        var c = Vectors.SampleCollateral;
        // Flip a bit inside the DER of one TCB signing chain certificate, then re-encode the PEM.
        var certs = new Org.BouncyCastle.X509.X509CertificateParser().ReadCertificates(System.Text.Encoding.ASCII.GetBytes(c.TcbInfoIssuerChain)).Select(x => x.GetEncoded()).ToArray();
        var which = p.Bit % certs.Length;
        var der = certs[which];
        der[p.Value % der.Length] ^= (byte)(1 << (p.Value / 7 % 8));
        var pem = string.Concat(certs.Select(d => "-----BEGIN CERTIFICATE-----\n" + Convert.ToBase64String(d, Base64FormattingOptions.InsertLineBreaks) + "\n-----END CERTIFICATE-----\n"));
        var tampered = c with { TcbInfoIssuerChain = pem };
        return Rejects(() => DcapQuoteVerifier.Intel.Verify(Vectors.SampleQuote, tampered, Vectors.SampleTime)) is QuoteVerificationException;
    }

    [Property(MaxTest = 200, Arbitrary = [typeof(Positions)])]
    public bool Any_bit_flip_in_the_pck_leaf_certificate_of_the_quote_is_rejected(Position p)
    {
        // The PCK chain sits outside the signed region, so this relies on the chain and QE-report checks alone.
        var raw = Vectors.SampleQuote;
        var text = System.Text.Encoding.ASCII.GetString(raw);
        const string begin = "-----BEGIN CERTIFICATE-----\n";
        var start = text.IndexOf(begin, StringComparison.Ordinal) + begin.Length;
        var end = text.IndexOf("-----END CERTIFICATE-----", start, StringComparison.Ordinal);
        var b64 = text[start..end];
        var der = Convert.FromBase64String(b64);
        der[p.Value % der.Length] ^= (byte)(1 << p.Bit);
        // Same DER length and line width, so the replacement keeps every length field of the quote valid.
        var encoded = Convert.ToBase64String(der);
        var rewrapped = string.Concat(Enumerable.Range(0, (encoded.Length + 63) / 64).Select(i => encoded.Substring(i * 64, Math.Min(64, encoded.Length - i * 64)) + "\n"));
        Assert.Equal(b64.Length, rewrapped.Length);
        System.Text.Encoding.ASCII.GetBytes(rewrapped).CopyTo(raw, start);
        return Rejects(() => DcapQuoteVerifier.Intel.Verify(raw, Vectors.SampleCollateral, Vectors.SampleTime)) is QuoteVerificationException;
    }

    public sealed record Position(int Value, int Bit);

    public static class Positions
    {
        public static Arbitrary<Position> Arb() =>
            Gen.Choose(0, 1_000_000).Zip(Gen.Choose(0, 7)).Select(t => new Position(t.Item1, t.Item2)).ToArbitrary();
    }
}
