using System.Text.Json.Nodes;
using Keystore.Attestation.Simulator;
using Keystore.Attestation.Tee;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;

namespace Keystore.EndToEnd.Tests.Support;

/// <summary>
/// A dstack guest agent on a Unix socket, speaking the agent's JSON API (<c>POST /GetQuote</c>,
/// <c>POST /Info</c>), whose quotes are real quotes of the local TDX simulator: what a CVM's agent
/// answers, signed by the local test PKI instead of Intel's.
/// </summary>
public sealed class DstackGuestAgentDouble : IAsyncDisposable
{
    private readonly WebApplication _app;

    private DstackGuestAgentDouble(WebApplication app, string socketPath)
    {
        _app = app;
        SocketPath = socketPath;
    }

    public string SocketPath { get; }

    public int QuotesIssued { get; private set; }

    public static async Task<DstackGuestAgentDouble> StartAsync(SimulatedTdxProvider simulator, string socketPath)
    {
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.ConfigureKestrel(k => k.ListenUnixSocket(socketPath));
        WebApplication app = builder.Build();
        var agent = new DstackGuestAgentDouble(app, socketPath);

        app.MapPost("/GetQuote", async (HttpRequest request) =>
        {
            if (request.ContentType?.StartsWith("application/json", StringComparison.Ordinal) != true)
                return Results.StatusCode(415); // the real agent insists on JSON
            JsonNode? body = await JsonNode.ParseAsync(request.Body);
            byte[] reportData = Convert.FromHexString(body?["report_data"]?.GetValue<string>() ?? "");
            if (reportData.Length > 64) return Results.BadRequest();
            TeeQuote quote = await simulator.GetQuoteAsync(reportData, CancellationToken.None);
            agent.QuotesIssued++;
            return Results.Text(new JsonObject
            {
                ["quote"] = Convert.ToHexStringLower(quote.Quote),
                ["event_log"] = quote.EventLogJson,
                ["report_data"] = Convert.ToHexStringLower(quote.ReportData),
                ["vm_config"] = "{}",
            }.ToJsonString(), "application/json");
        });
        app.MapPost("/Info", async () =>
        {
            TeeInfo info = await simulator.GetInfoAsync(CancellationToken.None);
            return Results.Text(new JsonObject
            {
                ["app_id"] = info.AppId,
                ["instance_id"] = info.InstanceId,
                ["app_name"] = "keystore",
                ["device_id"] = info.DeviceId,
                ["tcb_info"] = info.TcbInfoJson,
                ["compose_hash"] = info.ComposeHash,
                ["os_image_hash"] = info.OsImageHash,
                ["key_provider_info"] = info.KeyProviderInfo,
            }.ToJsonString(), "application/json");
        });
        await app.StartAsync();
        return agent;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        File.Delete(SocketPath);
    }
}
