using System.Collections.Concurrent;
using System.Threading.Channels;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Keystore.Tests.Webhooks;

/// <summary>
/// A real HTTP receiver on 127.0.0.1 (Kestrel, random port) that records every POST as it arrived (headers and the exact
/// body bytes) and answers the statuses it is scripted with (200 once the script runs out).
/// </summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    public sealed record Received(string Path, string? Signature, string? Event, string? Delivery, string? ContentType, byte[] Body, int AnsweredStatus);

    private readonly WebApplication _app;
    private readonly Channel<Received> _received = Channel.CreateUnbounded<Received>();
    private readonly ConcurrentQueue<int> _statuses;
    private readonly ConcurrentQueue<Received> _all = new();

    private WebhookReceiver(WebApplication app, IEnumerable<int> statuses)
    {
        _app = app;
        _statuses = new ConcurrentQueue<int>(statuses);
    }

    public string Url { get; private set; } = "";

    /// <summary>Every request so far, in arrival order.</summary>
    public IReadOnlyList<Received> All => _all.ToArray();

    /// <summary>How long to hold each answer (a receiver that does not answer in time).</summary>
    public TimeSpan Delay { get; set; }

    public static async Task<WebhookReceiver> StartAsync(params int[] statuses)
    {
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        WebApplication app = builder.Build();
        var receiver = new WebhookReceiver(app, statuses);
        app.MapPost("/{**path}", async (HttpContext http) =>
        {
            using var body = new MemoryStream();
            await http.Request.Body.CopyToAsync(body);
            int status = receiver._statuses.TryDequeue(out int s) ? s : 200;
            var received = new Received(http.Request.Path, http.Request.Headers["X-Keystore-Signature"], http.Request.Headers["X-Keystore-Event"],
                http.Request.Headers["X-Keystore-Delivery"], http.Request.ContentType, body.ToArray(), status);
            receiver._all.Enqueue(received);
            await receiver._received.Writer.WriteAsync(received);
            if (receiver.Delay > TimeSpan.Zero) await Task.Delay(receiver.Delay, http.RequestAborted);
            return Results.StatusCode(status);
        });
        await app.StartAsync();
        receiver.Url = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First() + "/hooks/keystore";
        return receiver;
    }

    /// <summary>The next request to arrive, or a failure after <paramref name="timeout"/> (default 30 s).</summary>
    public async Task<Received> NextAsync(TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(30));
        try
        {
            return await _received.Reader.ReadAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"No webhook delivery arrived within {timeout ?? TimeSpan.FromSeconds(30)}.");
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
