using System.Text.Json;
using System.Text.Json.Nodes;
using Keystore.Attestation.Dstack;
using Keystore.Attestation.Quotes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Keystore.Attestation.Tests;

/// <summary>Runs the client against a real HTTP-over-Unix-socket server (Kestrel) that mimics the guest agent.</summary>
public sealed class DstackClientTests : IAsyncLifetime
{
    private readonly string _socket = Path.Combine(Path.GetTempPath(), $"dstack-test-{Guid.NewGuid():N}.sock");
    private WebApplication? _app;
    private readonly List<(string Path, string Method, string? ContentType, string Body)> _requests = [];
    private volatile int _status = 200;
    private volatile int _delayMs;

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.ListenUnixSocket(_socket));
        _app = builder.Build();
        var fixture = JsonNode.Parse(Vectors.Text("tdx-lite-getquote.json"))!;
        _app.Run(async ctx =>
        {
            var body = await new StreamReader(ctx.Request.Body).ReadToEndAsync();
            lock (_requests) _requests.Add((ctx.Request.Path, ctx.Request.Method, ctx.Request.ContentType, body));
            if (_delayMs > 0) await Task.Delay(_delayMs);
            ctx.Response.StatusCode = _status;
            if (_status != 200) { await ctx.Response.WriteAsync("agent failure: secret-ish detail"); return; }
            ctx.Response.ContentType = "application/json";
            switch (ctx.Request.Path.Value)
            {
                case "/GetQuote":
                    var rd = JsonNode.Parse(body)!["report_data"]!.GetValue<string>();
                    var answer = fixture.DeepClone();
                    answer["report_data"] = rd;
                    await ctx.Response.WriteAsync(answer.ToJsonString());
                    break;
                case "/Info":
                    var tcb = new JsonObject { ["mrtd"] = "aa", ["rtmr0"] = "00", ["rtmr1"] = "01", ["rtmr2"] = "02", ["rtmr3"] = "03", ["event_log"] = new JsonArray() };
                    await ctx.Response.WriteAsync(new JsonObject
                    {
                        ["app_id"] = "app", ["instance_id"] = "inst", ["app_cert"] = "", ["tcb_info"] = tcb.ToJsonString(),
                        ["app_name"] = "keystore", ["device_id"] = "dev", ["key_provider_info"] = "{}", ["compose_hash"] = "ch",
                    }.ToJsonString());
                    break;
                case "/GetKey":
                    await ctx.Response.WriteAsync("""{"key":"0102","signature_chain":["aa","bb"]}""");
                    break;
                default:
                    ctx.Response.StatusCode = 404;
                    break;
            }
        });
        await _app.StartAsync();
    }

    public async Task DisposeAsync()
    {
        if (_app is not null) await _app.DisposeAsync();
        File.Delete(_socket);
    }

    private DstackClient Client(TimeSpan? timeout = null) => new(DstackEndpoint.Parse(_socket), timeout);

    [Fact]
    public async Task Get_quote_sends_hex_report_data_and_parses_the_answer()
    {
        using var client = Client();
        var provider = new DstackTeeProvider(client);
        // The fixture is a real dstack answer, so ask for exactly the report data it was made for.
        using var fixture = JsonDocument.Parse(Vectors.Text("tdx-lite-getquote.json"));
        var asked = Convert.FromHexString(fixture.RootElement.GetProperty("report_data").GetString()!);
        var q = await provider.GetQuoteAsync(asked, CancellationToken.None);
        var (path, method, contentType, body) = _requests.Single();
        Assert.Equal("/GetQuote", path);
        Assert.Equal("POST", method);
        Assert.StartsWith("application/json", contentType);
        Assert.Equal(Convert.ToHexStringLower(asked), JsonNode.Parse(body)!["report_data"]!.GetValue<string>());
        var quote = TdxQuote.Parse(q.Quote);
        Assert.Equal(quote.Report.ReportData, q.ReportData);
        Assert.Equal(quote.Report.Rtmr3, q.EventLog.VerifyRtmr3(quote.Report.Rtmr3));
        Assert.False(provider.IsSimulated);
        Assert.Equal("dstack", provider.Name);
    }

    [Fact]
    public async Task Quote_for_other_report_data_is_refused()
    {
        using var client = Client();
        var e = await Assert.ThrowsAsync<DstackClientException>(() => new DstackTeeProvider(client).GetQuoteAsync(new byte[] { 0xde, 0xad }, CancellationToken.None));
        Assert.Contains("report data", e.Message);
        Assert.Equal("dead", JsonNode.Parse(_requests.Single().Body)!["report_data"]!.GetValue<string>());
    }

    [Fact]
    public async Task Info_parses_the_nested_tcb_info()
    {
        using var client = Client();
        var info = await new DstackTeeProvider(client).GetInfoAsync(CancellationToken.None);
        Assert.Equal("aa", info.Mrtd);
        Assert.Equal("03", info.Rtmr3);
        Assert.Equal("keystore", info.AppName);
        Assert.StartsWith("application/json", _requests.Single().ContentType);
    }

    [Fact]
    public async Task Get_key_sends_path_and_purpose()
    {
        using var client = Client();
        var k = await client.GetKeyAsync("keystore/x", "signing", CancellationToken.None);
        Assert.Equal("0102", k.Key);
        Assert.Equal(["aa", "bb"], k.SignatureChain);
        var body = JsonNode.Parse(_requests.Single().Body)!;
        Assert.Equal("keystore/x", body["path"]!.GetValue<string>());
        Assert.Equal("signing", body["purpose"]!.GetValue<string>());
    }

    [Fact]
    public async Task Error_status_is_typed_and_does_not_echo_the_body()
    {
        _status = 500;
        using var client = Client();
        var e = await Assert.ThrowsAsync<DstackClientException>(() => client.GetQuoteAsync(new byte[1], CancellationToken.None));
        Assert.Equal(500, e.StatusCode);
        Assert.Equal("GetQuote", e.Method);
        Assert.DoesNotContain("secret", e.Message);
    }

    [Fact]
    public async Task Slow_agent_times_out()
    {
        _delayMs = 3000;
        using var client = Client(TimeSpan.FromMilliseconds(200));
        var e = await Assert.ThrowsAsync<DstackClientException>(() => client.InfoAsync(CancellationToken.None));
        Assert.True(e.IsTimeout);
    }

    [Fact]
    public async Task Missing_socket_is_unreachable()
    {
        using var client = new DstackClient(DstackEndpoint.Parse(_socket + ".missing"));
        var e = await Assert.ThrowsAsync<DstackClientException>(() => client.InfoAsync(CancellationToken.None));
        Assert.Contains("unreachable", e.Message);
    }

    [Fact]
    public async Task Oversized_report_data_is_refused_before_sending()
    {
        using var client = Client();
        await Assert.ThrowsAsync<ArgumentException>(() => client.GetQuoteAsync(new byte[65], CancellationToken.None));
        Assert.Empty(_requests);
    }

    [Fact]
    public void Endpoint_resolution()
    {
        Assert.Equal("/tmp/x.sock", DstackEndpoint.Resolve(v => v == DstackEndpoint.SimulatorVariable ? "/tmp/x.sock" : null, _ => false).SocketPath);
        Assert.Equal(new Uri("http://127.0.0.1:8090/"), DstackEndpoint.Resolve(_ => "http://127.0.0.1:8090", _ => false).HttpBase);
        Assert.Equal("/run/dstack.sock", DstackEndpoint.Resolve(_ => null, p => p is "/run/dstack.sock" or "/run/dstack/dstack.sock").SocketPath);
        Assert.Equal("/var/run/dstack.sock", DstackEndpoint.Resolve(_ => null, _ => false).SocketPath);
    }
}
