using Keystore.Attestation.Collateral;
using Keystore.Attestation.Simulator;
using Keystore.Attestation.Verification;

namespace Keystore.Attestation.Tests;

/// <summary>
/// Intel's appraisal rules over content the TCB signing key vouches for, checked with collateral the simulator's
/// genuine TCB signing key re-signs after an edit (<see cref="SimulatedPki.Resigned"/>).
/// </summary>
public class IntelRuleTests
{
    private static readonly DateTimeOffset Now = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static async Task<(SimulatedTdxProvider Sim, byte[] Quote)> Quote(SimulatedTdxOptions? o = null)
    {
        var sim = new SimulatedTdxProvider(o ?? new SimulatedTdxOptions { Seed = "intel-rules"u8.ToArray() });
        var q = await sim.GetQuoteAsync(new byte[64], CancellationToken.None);
        return (sim, q.Quote);
    }

    private static QuoteCollateralV3 Edited(SimulatedTdxProvider sim, Func<string, string>? tcbInfo = null, Func<string, string>? qeIdentity = null)
    {
        var c = sim.Collateral;
        var t = (tcbInfo ?? (s => s))(c.TcbInfo);
        var q = (qeIdentity ?? (s => s))(c.QeIdentity);
        Assert.True(t != c.TcbInfo || q != c.QeIdentity, "the edit must change the collateral");
        return sim.Pki.Resigned(t, q);
    }

    [Fact]
    public async Task Resigned_but_unedited_collateral_verifies()
    {
        var (sim, quote) = await Quote();
        var c = sim.Pki.Resigned(sim.Collateral.TcbInfo, sim.Collateral.QeIdentity);
        Assert.Equal(TcbStatus.UpToDate, new DcapQuoteVerifier(sim.RootCaDer).Verify(quote, c, Now).Status);
    }

    [Fact]
    public async Task Tcb_info_for_another_pce_id_is_refused()
    {
        // Intel's QVL refuses TCB info whose pceId is not the PCK certificate's PCE ID (STATUS_TCB_INFO_MISMATCH),
        // as it does for the FMSPC: the TCB levels describe one PCE.
        var (sim, quote) = await Quote();
        var c = Edited(sim, tcbInfo: s => s.Replace("\"pceId\":\"0000\"", "\"pceId\":\"0001\""));
        var e = Assert.Throws<QuoteVerificationException>(() => new DcapQuoteVerifier(sim.RootCaDer).Verify(quote, c, Now));
        Assert.Equal("tcb_info.pce_id", e.Check);
    }

    /// <summary>Splits the single UpToDate level of ISV SVN <paramref name="svn"/> into UpToDate at svn + 1 and <paramref name="status"/> at svn.</summary>
    private static Func<string, string> DemoteLevel(int svn, string status) => json =>
    {
        var level = "{\"tcb\":{\"isvsvn\":" + svn + "},\"tcbDate\":\"2025-01-01T00:00:00Z\",\"tcbStatus\":\"UpToDate\"}";
        Assert.Contains(level, json);
        return json.Replace(level, level.Replace("\"isvsvn\":" + svn, "\"isvsvn\":" + (svn + 1)) + "," + level.Replace("UpToDate", status));
    };

    [Theory]
    [InlineData(TcbStatus.UpToDate, TcbStatus.OutOfDate)]
    [InlineData(TcbStatus.SWHardeningNeeded, TcbStatus.OutOfDate)]
    [InlineData(TcbStatus.ConfigurationNeeded, TcbStatus.OutOfDateConfigurationNeeded)]
    [InlineData(TcbStatus.ConfigurationAndSWHardeningNeeded, TcbStatus.OutOfDateConfigurationNeeded)]
    public async Task An_out_of_date_quoting_enclave_converges_with_the_platform_status_as_intel_does(TcbStatus platform, TcbStatus expected)
    {
        // Intel's convergeTcbStatusWithQeTcbStatus: a QE that is OutOfDate on a platform that needs configuration is
        // OutOfDateConfigurationNeeded, not plain OutOfDate (the worse of the two), which would hide the configuration need.
        var (sim, quote) = await Quote(new SimulatedTdxOptions { Seed = "intel-rules"u8.ToArray(), PlatformStatus = platform });
        var c = Edited(sim, qeIdentity: DemoteLevel(4, "OutOfDate"));
        Assert.Equal(expected, new DcapQuoteVerifier(sim.RootCaDer).Verify(quote, c, Now).Status);
    }

    [Theory]
    [InlineData(TcbStatus.UpToDate, TcbStatus.OutOfDate)]
    [InlineData(TcbStatus.ConfigurationNeeded, TcbStatus.OutOfDateConfigurationNeeded)]
    [InlineData(TcbStatus.ConfigurationAndSWHardeningNeeded, TcbStatus.OutOfDateConfigurationNeeded)]
    public async Task An_out_of_date_tdx_module_converges_with_the_platform_status_as_intel_does(TcbStatus platform, TcbStatus expected)
    {
        // Intel's convergeTcbStatusWithTdxModuleStatus, the same rule for the TDX module identity's level.
        var (sim, quote) = await Quote(new SimulatedTdxOptions { Seed = "intel-rules"u8.ToArray(), PlatformStatus = platform });
        var c = Edited(sim, tcbInfo: DemoteLevel(5, "OutOfDate"));
        Assert.Equal(expected, new DcapQuoteVerifier(sim.RootCaDer).Verify(quote, c, Now).Status);
    }

    [Fact]
    public async Task A_revoked_quoting_enclave_is_refused_on_any_platform()
    {
        var (sim, quote) = await Quote(new SimulatedTdxOptions { Seed = "intel-rules"u8.ToArray(), PlatformStatus = TcbStatus.ConfigurationNeeded });
        var c = Edited(sim, qeIdentity: DemoteLevel(4, "Revoked"));
        var e = Assert.Throws<QuoteVerificationException>(() => new DcapQuoteVerifier(sim.RootCaDer).Verify(quote, c, Now));
        Assert.Equal("tcb.status", e.Check);
    }

    private static readonly DateTime CrlFrom = new(2025, 1, 1, 0, 0, 0, DateTimeKind.Utc), CrlUntil = new(2045, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    [Theory]
    [InlineData(true, SimulatedPki.PckLeafSerial, "pck.chain")]
    [InlineData(false, SimulatedPki.PckCaSerial, "pck.chain")]
    [InlineData(false, SimulatedPki.TcbSigningSerial, "tcb_info.chain")]
    public async Task A_revoked_certificate_is_refused(bool pckCrl, long serial, string check)
    {
        var (sim, quote) = await Quote();
        var crl = sim.Pki.CrlFor(pckCrl, CrlFrom, CrlUntil, false, serial);
        var c = pckCrl ? sim.Collateral with { PckCrl = crl } : sim.Collateral with { RootCaCrl = crl };
        var e = Assert.Throws<QuoteVerificationException>(() => new DcapQuoteVerifier(sim.RootCaDer).Verify(quote, c, Now));
        Assert.Equal(check, e.Check);
        Assert.Contains("revoked", e.Message);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_crl_under_its_issuers_name_but_signed_by_another_key_is_refused(bool pckCrl)
    {
        var (sim, quote) = await Quote();
        var crl = sim.Pki.CrlFor(pckCrl, CrlFrom, CrlUntil, signedByTcbKey: true);
        var c = pckCrl ? sim.Collateral with { PckCrl = crl } : sim.Collateral with { RootCaCrl = crl };
        var e = Assert.Throws<QuoteVerificationException>(() => new DcapQuoteVerifier(sim.RootCaDer).Verify(quote, c, Now));
        Assert.Equal(pckCrl ? "pck.chain" : "tcb_info.chain", e.Check);
        Assert.Contains("signature is invalid", e.Message);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task An_expired_or_not_yet_valid_crl_is_refused(bool pckCrl)
    {
        var (sim, quote) = await Quote();
        foreach (var (from, until) in new[] { (CrlFrom, Now.UtcDateTime.AddDays(-1)), (Now.UtcDateTime.AddDays(1), CrlUntil) })
        {
            var crl = sim.Pki.CrlFor(pckCrl, from, until);
            var c = pckCrl ? sim.Collateral with { PckCrl = crl } : sim.Collateral with { RootCaCrl = crl };
            var e = Assert.Throws<QuoteVerificationException>(() => new DcapQuoteVerifier(sim.RootCaDer).Verify(quote, c, Now));
            Assert.Equal(pckCrl ? "pck.chain" : "tcb_info.chain", e.Check);
            Assert.Contains("CRL", e.Message);
        }
    }

    [Theory]
    [InlineData("qe", "\"isvprodid\":2", "\"isvprodid\":3", "qe_identity.policy")]
    [InlineData("qe", "\"miscselect\":\"00000000\"", "\"miscselect\":\"01000000\"", "qe_identity.policy")]
    [InlineData("qe", "\"attributes\":\"11", "\"attributes\":\"13", "qe_identity.policy")]
    [InlineData("qe", "\"isvsvn\":4", "\"isvsvn\":5", "qe_identity.tcb")]
    [InlineData("qe", "\"id\":\"TD_QE\"", "\"id\":\"QE\"", "qe_identity.id")]
    [InlineData("tcb", "\"id\":\"TDX\",", "\"id\":\"SGX\",", "tcb_info.id")]
    [InlineData("tcb", "\"tdxtcbcomponents\":[{\"svn\":5},{\"svn\":1},{\"svn\":2}", "\"tdxtcbcomponents\":[{\"svn\":5},{\"svn\":1},{\"svn\":3}", "tcb.level")]
    [InlineData("tcb", "\"pcesvn\":13", "\"pcesvn\":14", "tcb.level")]
    [InlineData("tcb", "\"isvsvn\":5", "\"isvsvn\":6", "tdx_module")]
    [InlineData("tcb", "\"attributes\":\"0000000000000000\"", "\"attributes\":\"0000000000000001\"", "tdx_module")]
    public async Task Signed_collateral_the_quote_does_not_meet_is_refused_by_the_named_check(string which, string from, string to, string check)
    {
        var (sim, quote) = await Quote();
        Func<string, string> edit = json => { Assert.Contains(from, json); return json.Replace(from, to); };
        var c = which == "qe" ? Edited(sim, qeIdentity: edit) : Edited(sim, tcbInfo: edit);
        var e = Assert.Throws<QuoteVerificationException>(() => new DcapQuoteVerifier(sim.RootCaDer).Verify(quote, c, Now));
        Assert.Equal(check, e.Check);
    }

    [Theory]
    [InlineData("qe", "\"attributes\":\"11", "\"attributes\":\"15")] // bit 2 is outside attributesMask FB
    [InlineData("qe", "\"miscselectMask\":\"FFFFFFFF\"", "\"miscselectMask\":\"00000000\"")]
    [InlineData("tcb", "\"tdxtcbcomponents\":[{\"svn\":5},{\"svn\":1}", "\"tdxtcbcomponents\":[{\"svn\":9},{\"svn\":9}")] // judged by the module identity
    public async Task What_intel_leaves_out_of_a_comparison_does_not_refuse(string which, string from, string to)
    {
        var (sim, quote) = await Quote();
        Func<string, string> edit = json => { Assert.Contains(from, json); return json.Replace(from, to); };
        var c = which == "qe" ? Edited(sim, qeIdentity: edit) : Edited(sim, tcbInfo: edit);
        Assert.Equal(TcbStatus.UpToDate, new DcapQuoteVerifier(sim.RootCaDer).Verify(quote, c, Now).Status);
    }

    [Fact]
    public async Task A_collateral_pck_chain_other_than_the_quotes_own_is_refused()
    {
        // Intel's QVL judges the PCK certificate the quote carries (certification data type 5). A chain supplied with
        // the collateral instead would let whoever supplies collateral pick which certificate, and so which TCB
        // (CPUSVN, PCESVN, FMSPC), the platform is judged by.
        var (sim, quote) = await Quote();
        var other = sim.Collateral with { PckCertificateChain = sim.Pki.OtherPckChainForTheSameKey() };
        var e = Assert.Throws<QuoteVerificationException>(() => new DcapQuoteVerifier(sim.RootCaDer).Verify(quote, other, Now));
        Assert.Equal("pck.chain", e.Check);
        // The quote's own chain repeated in the collateral (as dcap-qvl's get_collateral attaches it) is fine.
        var same = sim.Collateral with { PckCertificateChain = sim.Pki.PckChainPem };
        Assert.Equal(TcbStatus.UpToDate, new DcapQuoteVerifier(sim.RootCaDer).Verify(quote, same, Now).Status);
    }

    [Theory]
    [InlineData("tcb", "tcb_info.parse")]
    [InlineData("qe", "qe_identity.parse")]
    public async Task Signed_json_with_a_duplicated_field_is_refused(string which, string check)
    {
        // System.Text.Json reads the last of two fields, serde (the Rust verifier) refuses them; Intel never signs one.
        var (sim, quote) = await Quote();
        Func<string, string> edit = json => json.Replace("{\"id\":", "{\"tcbEvaluationDataNumber\":99,\"id\":");
        var c = which == "qe" ? Edited(sim, qeIdentity: edit) : Edited(sim, tcbInfo: edit);
        var e = Assert.Throws<QuoteVerificationException>(() => new DcapQuoteVerifier(sim.RootCaDer).Verify(quote, c, Now));
        Assert.Equal(check, e.Check);
    }
}
