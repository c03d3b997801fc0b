using System.Threading.Channels;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Keystore.Tests.ClientApprovals;

/// <summary>
/// A webhook receiver as an integrator writes one with the C# client: a real HTTP server on 127.0.0.1 that checks each
/// POST's <c>X-Keystore-Signature</c> over the exact body with <see cref="WebhookSignatureVerifier.Verify"/> before reading it, and
/// answers 200 to a delivery it accepts, 400 to one it refuses. It records both.
/// </summary>
public sealed class VerifyingWebhookReceiver : IAsyncDisposable
{
    public sealed record Received(string? Signature, string? Event, string? DeliveryId, byte[] Body, bool Accepted);

    private readonly WebApplication _app;
    private readonly Channel<Received> _received = Channel.CreateUnbounded<Received>();

    private VerifyingWebhookReceiver(WebApplication app) => _app = app;

    public string Url { get; private set; } = "";

    /// <summary>The secret the webhook's PUT answered; until it is set every delivery is refused.</summary>
    public string? Secret { get; set; }

    public static async Task<VerifyingWebhookReceiver> StartAsync()
    {
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        WebApplication app = builder.Build();
        var receiver = new VerifyingWebhookReceiver(app);
        app.MapPost("/hooks/keystore", async (HttpContext http) =>
        {
            using var buffer = new MemoryStream();
            await http.Request.Body.CopyToAsync(buffer);
            byte[] body = buffer.ToArray();
            string? signature = http.Request.Headers[WebhookSignatureVerifier.Header];
            bool accepted = receiver.Secret is { } secret && WebhookSignatureVerifier.Verify(secret, signature, body);
            await receiver._received.Writer.WriteAsync(new Received(signature, http.Request.Headers[WebhookSignatureVerifier.EventHeader],
                http.Request.Headers[WebhookSignatureVerifier.DeliveryHeader], body, accepted));
            return Results.StatusCode(accepted ? 200 : 400);
        });
        await app.StartAsync();
        receiver.Url = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First() + "/hooks/keystore";
        return receiver;
    }

    /// <summary>The next POST to arrive (a failure after 30 s).</summary>
    public async Task<Received> NextAsync()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        try
        {
            return await _received.Reader.ReadAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException("No webhook delivery arrived within 30 s.");
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
