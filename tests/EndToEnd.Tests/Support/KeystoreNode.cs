using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Keystore.Hosting;
using Keystore.Near.Keys;
using Keystore.Near.Nep413;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Keystore.EndToEnd.Tests.Support;

/// <summary>One keystore process-equivalent: the real application on Kestrel at 127.0.0.1 (random port).</summary>
public sealed class KeystoreNode : IAsyncDisposable
{
    private readonly WebApplication _app;

    private KeystoreNode(WebApplication app, HttpClient client)
    {
        _app = app;
        Client = client;
    }

    public HttpClient Client { get; }

    public IServiceProvider Services => _app.Services;

    /// <param name="configure">Further changes to the host (e.g. a logger provider), after the settings.</param>
    public static async Task<KeystoreNode> StartAsync(IDictionary<string, string?> settings, Action<WebApplicationBuilder>? configure = null)
    {
        // Quiet by default; a test may ask for more (the log secrecy test runs at Trace).
        var config = new Dictionary<string, string?> { ["Logging:LogLevel:Default"] = "Warning" };
        foreach ((string key, string? value) in settings)
            config[key] = value;
        config["Urls"] = "http://127.0.0.1:0";
        // Each node its own state database unless the test shares one on purpose (a temporary file: the OS cleans /tmp).
        if (!config.ContainsKey("Keystore:State:SqlitePath") && !config.ContainsKey("Keystore:State:Provider"))
            config["Keystore:State:SqlitePath"] = Path.Combine(Path.GetTempPath(), "keystore-state-e2e-" + Guid.NewGuid().ToString("N"), "state.db");
        WebApplication app = KeystoreApplication.Build([], builder =>
        {
            builder.Configuration.AddInMemoryCollection(config);
            configure?.Invoke(builder);
        });
        await app.StartAsync();
        string address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new KeystoreNode(app, new HttpClient { BaseAddress = new Uri(address), Timeout = TimeSpan.FromMinutes(1) });
    }

    public async Task WaitUntilReadyAsync(TimeSpan timeout)
    {
        DateTime deadline = DateTime.UtcNow + timeout;
        string last = "";
        while (DateTime.UtcNow < deadline)
        {
            using HttpResponseMessage r = await Client.GetAsync("/v1/ready");
            last = await r.Content.ReadAsStringAsync();
            if (r.IsSuccessStatusCode) return;
            await Task.Delay(100);
        }
        throw new TimeoutException("The keystore did not become ready: " + last);
    }

    /// <summary>Polls /v1/ready until <paramref name="until"/> holds for its body (ready or not).</summary>
    public async Task<JsonNode> WaitForReadyBodyAsync(Func<JsonNode, bool> until, TimeSpan timeout)
    {
        DateTime deadline = DateTime.UtcNow + timeout;
        JsonNode body = new JsonObject();
        while (DateTime.UtcNow < deadline)
        {
            using HttpResponseMessage r = await Client.GetAsync("/v1/ready");
            body = JsonNode.Parse(await r.Content.ReadAsStringAsync())!;
            if (until(body)) return body;
            await Task.Delay(100);
        }
        throw new TimeoutException("/v1/ready never matched: " + body.ToJsonString());
    }

    /// <summary>A POST signed NEP-413 style by <paramref name="account"/>'s key, as the README tells clients to sign.</summary>
    public static HttpRequestMessage SignedPost(string path, string body, string account, Ed25519KeyPair key) =>
        Signed(HttpMethod.Post, path, body, account, key);

    /// <summary>A GET signed by <paramref name="account"/>'s key (empty body): an owner's request, which may publish a binding.</summary>
    public static HttpRequestMessage SignedGet(string path, string account, Ed25519KeyPair key) =>
        Signed(HttpMethod.Get, path, null, account, key);

    /// <summary>The header comes from the C# client (clients/dotnet), as an integrator's would.</summary>
    private static HttpRequestMessage Signed(HttpMethod method, string path, string? body, string account, Ed25519KeyPair key)
    {
        var request = new HttpRequestMessage(method, path);
        if (body is not null) request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("NEAR", NearCredential.Create(
            method.Method, path, body is null ? [] : Encoding.UTF8.GetBytes(body), account, key.PublicKey.ToString(), hash => key.Sign(hash)));
        return request;
    }

    /// <summary>The boot step <paramref name="name"/> in a <c>/v1/ready</c> body, if listed.</summary>
    public static JsonNode? Step(JsonNode ready, string name) =>
        ready["steps"]?.AsArray().FirstOrDefault(s => s!["name"]!.GetValue<string>() == name);

    public async Task<JsonNode> GetJsonAsync(string path) => JsonNode.Parse(await Client.GetStringAsync(path))!;

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
