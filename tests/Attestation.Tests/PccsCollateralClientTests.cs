using Keystore.Attestation.Collateral;
using Keystore.Attestation.Simulator;
using Keystore.Attestation.Verification;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace Keystore.Attestation.Tests;

/// <summary>The PCCS client against a WireMock server that speaks the Intel v4 API.</summary>
public sealed class PccsCollateralClientTests : IDisposable
{
    private readonly WireMockServer _server = WireMockServer.Start();
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(10) };

    public void Dispose()
    {
        _http.Dispose();
        _server.Stop();
        _server.Dispose();
    }

    /// <summary>Serves a collateral the way a PCCS does: signed JSON envelopes, URL-encoded issuer chains, hex root CRL, DER PCK CRL.</summary>
    private void Serve(QuoteCollateralV3 c, string fmspc, string ca)
    {
        _server.Given(Request.Create().WithPath("/tdx/certification/v4/tcb").WithParam("fmspc", fmspc).UsingGet())
            .RespondWith(Response.Create().WithStatusCode(200)
                .WithHeader("TCB-Info-Issuer-Chain", Uri.EscapeDataString(c.TcbInfoIssuerChain))
                .WithBody($"{{\"tcbInfo\":{c.TcbInfo},\"signature\":\"{Convert.ToHexStringLower(c.TcbInfoSignature)}\"}}"));
        _server.Given(Request.Create().WithPath("/tdx/certification/v4/qe/identity").UsingGet())
            .RespondWith(Response.Create().WithStatusCode(200)
                .WithHeader("SGX-Enclave-Identity-Issuer-Chain", Uri.EscapeDataString(c.QeIdentityIssuerChain))
                .WithBody($"{{\"enclaveIdentity\":{c.QeIdentity},\"signature\":\"{Convert.ToHexStringLower(c.QeIdentitySignature)}\"}}"));
        _server.Given(Request.Create().WithPath("/sgx/certification/v4/pckcrl").WithParam("ca", ca).UsingGet())
            .RespondWith(Response.Create().WithStatusCode(200)
                .WithHeader("SGX-PCK-CRL-Issuer-Chain", Uri.EscapeDataString(c.PckCrlIssuerChain))
                .WithBody(c.PckCrl));
        _server.Given(Request.Create().WithPath("/sgx/certification/v4/rootcacrl").UsingGet())
            .RespondWith(Response.Create().WithStatusCode(200).WithBody(Convert.ToHexStringLower(c.RootCaCrl)));
    }

    private PccsCollateralClient Client(TimeProvider? time = null) => new(_http, new Uri(_server.Urls[0]), TimeSpan.FromHours(1), time);

    [Fact]
    public async Task Fetches_the_sample_collateral_byte_for_byte()
    {
        var sample = Vectors.SampleCollateral;
        Serve(sample, "B0C06F000000", "platform");
        var fetched = await Client().GetCollateralAsync(Vectors.SampleQuote, CancellationToken.None);
        Assert.Equal(sample.TcbInfo, fetched.TcbInfo);
        Assert.Equal(sample.QeIdentity, fetched.QeIdentity);
        Assert.Equal(sample.PckCrl, fetched.PckCrl);
        Assert.Equal(sample.RootCaCrl, fetched.RootCaCrl);
        Assert.Equal(sample.TcbInfoIssuerChain, fetched.TcbInfoIssuerChain);
        var r = DcapQuoteVerifier.Intel.Verify(Vectors.SampleQuote, fetched, Vectors.SampleTime);
        Assert.Equal(TcbStatus.UpToDate, r.Status);
    }

    [Fact]
    public async Task Simulator_collateral_verifies_and_is_cached()
    {
        var sim = new SimulatedTdxProvider(new SimulatedTdxOptions { Seed = [5] });
        Serve(sim.Collateral, Convert.ToHexString(sim.Pki.Options.Fmspc), "platform");
        var q = await sim.GetQuoteAsync(new byte[64], CancellationToken.None);
        var client = Client();
        var c1 = await client.GetCollateralAsync(q.Quote, CancellationToken.None);
        var calls = _server.LogEntries.Count();
        Assert.Equal(4, calls);
        var c2 = await client.GetCollateralAsync(q.Quote, CancellationToken.None);
        Assert.Same(c1, c2);
        Assert.Equal(calls, _server.LogEntries.Count());
        new DcapQuoteVerifier(sim.RootCaDer).Verify(q.Quote, c1, new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
    }

    [Fact]
    public async Task Cache_expires_after_its_lifetime()
    {
        var sim = new SimulatedTdxProvider(new SimulatedTdxOptions { Seed = [6] });
        Serve(sim.Collateral, Convert.ToHexString(sim.Pki.Options.Fmspc), "platform");
        var clock = new ManualClock(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var client = Client(clock);
        var fmspc = Convert.ToHexString(sim.Pki.Options.Fmspc);
        await client.GetCollateralAsync(fmspc, "platform", CancellationToken.None);
        clock.Now += TimeSpan.FromHours(2);
        await client.GetCollateralAsync(fmspc, "platform", CancellationToken.None);
        Assert.Equal(8, _server.LogEntries.Count());
    }

    [Fact]
    public async Task Missing_fmspc_is_an_http_error()
    {
        Serve(Vectors.SampleCollateral, "B0C06F000000", "platform");
        var e = await Assert.ThrowsAsync<PccsException>(() => Client().GetCollateralAsync("00906ED50000", "platform", CancellationToken.None));
        Assert.Equal("tcb", e.Resource);
        Assert.Equal(404, e.StatusCode);
    }

    [Fact]
    public async Task Unreachable_pccs_is_a_clear_error()
    {
        var closed = new PccsCollateralClient(_http, new Uri("http://127.0.0.1:1/"));
        var e = await Assert.ThrowsAsync<PccsException>(() => closed.GetCollateralAsync("B0C06F000000", "platform", CancellationToken.None));
        Assert.Contains("unreachable", e.Message);
    }

    private sealed class ManualClock(DateTimeOffset now) : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = now;
        public override DateTimeOffset GetUtcNow() => Now;
    }
}
