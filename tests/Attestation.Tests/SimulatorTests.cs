using Keystore.Attestation.Quotes;
using Keystore.Attestation.Simulator;
using Keystore.Attestation.Verification;

namespace Keystore.Attestation.Tests;

public class SimulatorTests
{
    private static readonly DateTimeOffset Now = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static SimulatedTdxProvider NewProvider(SimulatedTdxOptions? o = null) =>
        new(o ?? new SimulatedTdxOptions { Seed = "local-net"u8.ToArray(), Mrtd = Enumerable.Repeat((byte)0xab, 48).ToArray(), Rtmr1 = Enumerable.Repeat((byte)1, 48).ToArray() });

    [Fact]
    public async Task Quote_verifies_with_local_root_and_carries_what_was_asked()
    {
        var sim = NewProvider();
        var reportData = Enumerable.Range(0, 32).Select(i => (byte)i).ToArray();
        var q = await sim.GetQuoteAsync(reportData, CancellationToken.None);
        var r = new DcapQuoteVerifier(sim.RootCaDer).Verify(q.Quote, sim.Collateral, Now);
        Assert.Equal(TcbStatus.UpToDate, r.Status);
        Assert.Empty(r.AdvisoryIds);
        Assert.Equal([.. reportData, .. new byte[32]], r.Report.ReportData);
        Assert.Equal(Enumerable.Repeat((byte)0xab, 48), r.Report.MrTd);
        Assert.Equal(Enumerable.Repeat((byte)1, 48), r.Report.Rtmr1);
        Assert.Equal(sim.Pki.Options.Fmspc, r.Fmspc);
        Assert.True(sim.IsSimulated);
        Assert.Equal("simulator", sim.Name);
    }

    [Fact]
    public async Task Quote_is_rejected_with_the_intel_root()
    {
        var sim = NewProvider();
        var q = await sim.GetQuoteAsync(new byte[64], CancellationToken.None);
        var e = Assert.Throws<QuoteVerificationException>(() => DcapQuoteVerifier.Intel.Verify(q.Quote, sim.Collateral, Now));
        Assert.Equal("tcb_info.chain", e.Check);
        // Even with Intel's genuine collateral the simulated PCK chain does not reach Intel's root.
        e = Assert.Throws<QuoteVerificationException>(() => DcapQuoteVerifier.Intel.Verify(q.Quote, Vectors.SampleCollateral, Vectors.SampleTime));
        Assert.Equal("pck.chain", e.Check);
    }

    [Fact]
    public async Task Event_log_replays_to_quoted_rtmr3()
    {
        var sim = NewProvider();
        sim.EmitEvent("keystore-worker", "hello"u8.ToArray());
        var q = await sim.GetQuoteAsync(new byte[] { 1 }, CancellationToken.None);
        var quote = TdxQuote.Parse(q.Quote);
        Assert.Equal(quote.Report.Rtmr3, q.EventLog.VerifyRtmr3(quote.Report.Rtmr3));
        Assert.Equal(quote.Report.Rtmr3, EventLog.DstackEventLog.Parse(q.EventLogJson).Replay(3));
        Assert.Contains(q.EventLog.Entries, e => e.Event == "compose-hash");
        Assert.Contains(q.EventLog.Entries, e => e.Event == "key-provider");
        Assert.NotEqual(new byte[48], quote.Report.Rtmr3);
        var info = await sim.GetInfoAsync(CancellationToken.None);
        Assert.Equal(Convert.ToHexStringLower(quote.Report.Rtmr3), info.Rtmr3);
    }

    [Fact]
    public void Seeded_pki_is_reproducible_and_random_pki_is_not()
    {
        var a = new SimulatedPki(new SimulatedTdxOptions { Seed = [1, 2, 3] });
        var b = new SimulatedPki(new SimulatedTdxOptions { Seed = [1, 2, 3] });
        Assert.Equal(a.RootCaDer, b.RootCaDer);
        Assert.Equal(a.Collateral.ToJson(), b.Collateral.ToJson());
        Assert.NotEqual(a.RootCaDer, new SimulatedPki(new SimulatedTdxOptions { Seed = [1, 2, 4] }).RootCaDer);
        Assert.NotEqual(new SimulatedPki().RootCaDer, new SimulatedPki().RootCaDer);
    }

    [Fact]
    public async Task Configured_platform_status_and_advisories_come_through()
    {
        var sim = new SimulatedTdxProvider(new SimulatedTdxOptions { PlatformStatus = TcbStatus.OutOfDate, AdvisoryIds = ["INTEL-SA-00837"] });
        var q = await sim.GetQuoteAsync(new byte[64], CancellationToken.None);
        var r = new DcapQuoteVerifier(sim.RootCaDer).Verify(q.Quote, sim.Collateral, Now);
        Assert.Equal(TcbStatus.OutOfDate, r.Status);
        Assert.Equal(["INTEL-SA-00837"], r.AdvisoryIds);

        var revoked = new SimulatedTdxProvider(new SimulatedTdxOptions { PlatformStatus = TcbStatus.Revoked });
        q = await revoked.GetQuoteAsync(new byte[64], CancellationToken.None);
        Assert.Equal("tcb.status", Assert.Throws<QuoteVerificationException>(() => new DcapQuoteVerifier(revoked.RootCaDer).Verify(q.Quote, revoked.Collateral, Now)).Check);
    }

    [Fact]
    public async Task Tampered_simulator_quote_is_rejected()
    {
        var sim = NewProvider();
        var q = await sim.GetQuoteAsync(new byte[64], CancellationToken.None);
        var raw = q.Quote;
        raw[568] ^= 1; // report data
        Assert.Equal("quote.signature", Assert.Throws<QuoteVerificationException>(() => new DcapQuoteVerifier(sim.RootCaDer).Verify(raw, sim.Collateral, Now)).Check);
        await Assert.ThrowsAsync<ArgumentException>(() => sim.GetQuoteAsync(new byte[65], CancellationToken.None));
    }

    [Fact]
    public async Task Debug_td_and_foreign_tdx_module_are_rejected()
    {
        var debug = new SimulatedTdxProvider(new SimulatedTdxOptions { TdAttributes = [1, 0, 0, 0x10, 0, 0, 0, 0] });
        var q = await debug.GetQuoteAsync(new byte[64], CancellationToken.None);
        Assert.Equal("td_attributes", Assert.Throws<QuoteVerificationException>(() => new DcapQuoteVerifier(debug.RootCaDer).Verify(q.Quote, debug.Collateral, Now)).Check);

        var noSeptVe = new SimulatedTdxProvider(new SimulatedTdxOptions { TdAttributes = new byte[8] });
        q = await noSeptVe.GetQuoteAsync(new byte[64], CancellationToken.None);
        Assert.Equal("td_attributes", Assert.Throws<QuoteVerificationException>(() => new DcapQuoteVerifier(noSeptVe.RootCaDer).Verify(q.Quote, noSeptVe.Collateral, Now)).Check);

        var foreign = new SimulatedTdxProvider(new SimulatedTdxOptions { MrSignerSeam = Enumerable.Repeat((byte)7, 48).ToArray() });
        q = await foreign.GetQuoteAsync(new byte[64], CancellationToken.None);
        Assert.Equal("tdx_module", Assert.Throws<QuoteVerificationException>(() => new DcapQuoteVerifier(foreign.RootCaDer).Verify(q.Quote, foreign.Collateral, Now)).Check);
    }

    [Fact]
    public async Task Collateral_outside_its_window_is_rejected()
    {
        var sim = NewProvider();
        var q = await sim.GetQuoteAsync(new byte[64], CancellationToken.None);
        var v = new DcapQuoteVerifier(sim.RootCaDer);
        Assert.Equal("tcb_info.window", Assert.Throws<QuoteVerificationException>(() => v.Verify(q.Quote, sim.Collateral, sim.Pki.Options.ValidFrom.AddSeconds(-1))).Check);
        Assert.Equal("tcb_info.window", Assert.Throws<QuoteVerificationException>(() => v.Verify(q.Quote, sim.Collateral, sim.Pki.Options.ValidUntil.AddDays(1))).Check);
    }
}
