using System.Text;
using Keystore.Attestation.Collateral;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Keystore.EndToEnd.Tests.Support;

/// <summary>
/// A PCCS serving the Intel v4 collateral API (PCK CRL with its issuer chain header, TDX TCB info and
/// QE identity as signed JSON, root CA CRL as hex) for one platform (FMSPC): the local simulator's.
/// </summary>
public sealed class PccsDouble : IAsyncDisposable
{
    private readonly WebApplication _app;

    private PccsDouble(WebApplication app, Uri url)
    {
        _app = app;
        Url = url;
    }

    public Uri Url { get; }

    public int Requests { get; private set; }

    public static async Task<PccsDouble> StartAsync(QuoteCollateralV3 collateral, string fmspcHex)
    {
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        WebApplication app = builder.Build();
        PccsDouble? self = null;
        string Chain(string pem) => Uri.EscapeDataString(pem);

        app.MapGet("/sgx/certification/v4/pckcrl", (HttpContext http, string ca) =>
        {
            self!.Requests++;
            http.Response.Headers["SGX-PCK-CRL-Issuer-Chain"] = Chain(collateral.PckCrlIssuerChain);
            return ca == "platform" ? Results.Bytes(collateral.PckCrl, "application/pkix-crl") : Results.NotFound();
        });
        app.MapGet("/tdx/certification/v4/tcb", (HttpContext http, string fmspc) =>
        {
            self!.Requests++;
            if (!string.Equals(fmspc, fmspcHex, StringComparison.OrdinalIgnoreCase)) return Results.NotFound();
            http.Response.Headers["TCB-Info-Issuer-Chain"] = Chain(collateral.TcbInfoIssuerChain);
            // The signed JSON travels verbatim: its signature covers these exact bytes.
            return Results.Text($"{{\"tcbInfo\":{collateral.TcbInfo},\"signature\":\"{Convert.ToHexStringLower(collateral.TcbInfoSignature)}\"}}",
                "application/json", Encoding.UTF8);
        });
        app.MapGet("/tdx/certification/v4/qe/identity", (HttpContext http) =>
        {
            self!.Requests++;
            http.Response.Headers["SGX-Enclave-Identity-Issuer-Chain"] = Chain(collateral.QeIdentityIssuerChain);
            return Results.Text($"{{\"enclaveIdentity\":{collateral.QeIdentity},\"signature\":\"{Convert.ToHexStringLower(collateral.QeIdentitySignature)}\"}}",
                "application/json", Encoding.UTF8);
        });
        app.MapGet("/sgx/certification/v4/rootcacrl", () =>
        {
            self!.Requests++;
            return Results.Text(Convert.ToHexStringLower(collateral.RootCaCrl));
        });

        await app.StartAsync();
        string address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        self = new PccsDouble(app, new Uri(address + "/"));
        return self;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
