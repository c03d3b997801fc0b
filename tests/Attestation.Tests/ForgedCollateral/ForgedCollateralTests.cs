using Keystore.Attestation.Collateral;
using Keystore.Attestation.Simulator;
using Keystore.Attestation.Verification;

namespace Keystore.Attestation.Tests.ForgedCollateral;

/// <summary>
/// Collateral that chains to the trusted root but is not signed by the TCB signing certificate, superseded
/// collateral, and misplaced CRLs (the fixtures of <see cref="ForgedCollateralFixtures"/>, shared with the
/// Rust verifier's tests in contracts/dcap/tests/forged_collateral.rs).
/// </summary>
public class ForgedCollateralTests
{
    private static readonly byte[] Root = Vectors.Bytes("forged/root_ca.der");
    private static readonly byte[] Quote = Vectors.Bytes("forged/quote.bin");
    private static readonly DateTimeOffset At = DateTimeOffset.FromUnixTimeSeconds(ForgedCollateralFixtures.VerifyAt);

    private static QuoteCollateralV3 Fixture(string name) => QuoteCollateralV3.FromJson(Vectors.Text("forged/" + name));

    private static QuoteVerificationException Refused(QuoteCollateralV3 collateral, uint minimum = 0) =>
        Assert.Throws<QuoteVerificationException>(() => new DcapQuoteVerifier(Root, minimum).Verify(Quote, collateral, At));

    [Fact]
    public void Genuine_fixture_collateral_verifies()
    {
        Assert.Equal(TcbStatus.UpToDate, new DcapQuoteVerifier(Root).Verify(Quote, Fixture("collateral.json"), At).Status);
        Assert.Equal(TcbStatus.UpToDate, new DcapQuoteVerifier(Root, ForgedCollateralFixtures.EvaluationDataNumber).Verify(Quote, Fixture("collateral.json"), At).Status);
    }

    [Fact]
    public void Collateral_resigned_with_the_pck_leaf_key_is_refused()
    {
        var e = Refused(Fixture("collateral_signed_by_pck_leaf.json"));
        Assert.Equal("tcb_info.signer", e.Check);
        Assert.Contains("PCK certificate", e.Message);
    }

    [Fact]
    public void Collateral_resigned_with_the_pck_platform_ca_key_is_refused()
    {
        var e = Refused(Fixture("collateral_signed_by_pck_platform_ca.json"));
        Assert.Equal("tcb_info.signer", e.Check);
        Assert.Contains("CA certificate", e.Message);
    }

    [Fact]
    public void Qe_identity_resigned_with_the_pck_leaf_key_is_refused_next_to_genuine_tcb_info()
    {
        var forged = Fixture("collateral_signed_by_pck_leaf.json");
        var mixed = Fixture("collateral.json") with
        {
            QeIdentityIssuerChain = forged.QeIdentityIssuerChain,
            QeIdentitySignature = forged.QeIdentitySignature,
        };
        var e = Refused(mixed);
        Assert.Equal("qe_identity.signer", e.Check);
        Assert.Contains("PCK certificate", e.Message);
    }

    [Fact]
    public void Tcb_signing_chain_must_be_the_signer_and_the_pinned_root()
    {
        var genuine = Fixture("collateral.json");
        var blocks = System.Text.RegularExpressions.Regex.Matches(genuine.TcbInfoIssuerChain, "-----BEGIN CERTIFICATE-----.*?-----END CERTIFICATE-----\n", System.Text.RegularExpressions.RegexOptions.Singleline)
            .Select(m => m.Value).ToArray();
        Assert.Equal(2, blocks.Length);
        var e = Refused(genuine with { TcbInfoIssuerChain = blocks[0] });
        Assert.Equal("tcb_info.chain", e.Check);
        e = Refused(genuine with { TcbInfoIssuerChain = blocks[0] + blocks[1] + blocks[1] });
        Assert.Equal("tcb_info.chain", e.Check);
        Assert.Contains("the signer followed by the pinned root CA", e.Message);
    }

    [Fact]
    public void Older_evaluation_number_is_refused_only_below_the_minimum()
    {
        var older = Fixture("collateral_older_evaluation_number.json");
        var e = Refused(older, ForgedCollateralFixtures.EvaluationDataNumber);
        Assert.Equal("tcb_info.evaluation_data_number", e.Check);
        Assert.Contains($"{ForgedCollateralFixtures.OlderEvaluationDataNumber} is below the required minimum {ForgedCollateralFixtures.EvaluationDataNumber}", e.Message);
        // Genuinely signed: without the minimum, or with its own number as the minimum, it verifies.
        Assert.Equal(TcbStatus.UpToDate, new DcapQuoteVerifier(Root).Verify(Quote, older, At).Status);
        Assert.Equal(TcbStatus.UpToDate, new DcapQuoteVerifier(Root, ForgedCollateralFixtures.OlderEvaluationDataNumber).Verify(Quote, older, At).Status);
    }

    [Fact]
    public void Older_qe_identity_is_refused_next_to_current_tcb_info()
    {
        var older = Fixture("collateral_older_evaluation_number.json");
        var mixed = Fixture("collateral.json") with { QeIdentity = older.QeIdentity, QeIdentitySignature = older.QeIdentitySignature };
        var e = Refused(mixed, ForgedCollateralFixtures.EvaluationDataNumber);
        Assert.Equal("qe_identity.evaluation_data_number", e.Check);
    }

    [Fact]
    public void Crls_in_each_others_place_cover_nothing()
    {
        var e = Refused(Fixture("collateral_crls_swapped.json"));
        Assert.Equal("tcb_info.chain", e.Check);
        Assert.Contains("no CRL", e.Message);
        Assert.Contains("root CA CRL", e.Message);
    }

    [Fact]
    public void Intel_sample_meets_its_own_evaluation_number_and_not_a_higher_one()
    {
        var number = TcbInfo.Parse(Vectors.SampleCollateral.TcbInfo).TcbEvaluationDataNumber;
        Assert.Equal(17u, number);
        Assert.Equal(TcbStatus.UpToDate, new DcapQuoteVerifier(minTcbEvaluationDataNumber: number).Verify(Vectors.SampleQuote, Vectors.SampleCollateral, Vectors.SampleTime).Status);
        var e = Assert.Throws<QuoteVerificationException>(() => new DcapQuoteVerifier(minTcbEvaluationDataNumber: number + 1).Verify(Vectors.SampleQuote, Vectors.SampleCollateral, Vectors.SampleTime));
        Assert.Equal("tcb_info.evaluation_data_number", e.Check);
    }

    [Fact]
    public void Simulator_tcb_signer_carries_the_subject_of_intels()
    {
        static Org.BouncyCastle.X509.X509Certificate Signer(QuoteCollateralV3 c) =>
            new Org.BouncyCastle.X509.X509CertificateParser().ReadCertificates(System.Text.Encoding.ASCII.GetBytes(c.TcbInfoIssuerChain)).First();
        var intel = Signer(Vectors.SampleCollateral);
        var simulated = Signer(new SimulatedPki(3).Collateral);
        Assert.True(intel.SubjectDN.Equivalent(simulated.SubjectDN, inOrder: true), $"{simulated.SubjectDN} vs {intel.SubjectDN}");
        Assert.Equal(-1, simulated.GetBasicConstraints());
    }
}
