using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Keystore.Auth;
using Keystore.Hosting;
using Keystore.Near.Nep413;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using NSec.Cryptography;

namespace Keystore.Tests.Support;

/// <summary>
/// The real keystore on Kestrel at 127.0.0.1 (random port), with a known backup secret and one owner
/// account whose ed25519 key the tests hold, so requests are signed exactly as a client would.
/// </summary>
public sealed class KeystoreServer : IAsyncDisposable
{
    public const string Owner = "alice.near";
    public const string MasterSecretHex = "7f1e9c3a5b2d4e6f8091a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f7";

    private readonly WebApplication _app;
    private string? _stateFolder;

    private KeystoreServer(WebApplication app, Key ownerKey, HttpClient client)
    {
        _app = app;
        OwnerKey = ownerKey;
        Client = client;
    }

    public Key OwnerKey { get; }

    public string OwnerPublicKey => new Keystore.Near.Keys.Ed25519PublicKey(OwnerKey.PublicKey.Export(KeyBlobFormat.RawPublicKey)).ToString();

    public HttpClient Client { get; }

    public IServiceProvider Services => _app.Services;

    /// <summary>
    /// A <c>ckd</c> keystore on the simulator whose NEAR node is <paramref name="rpc"/>: the boot runs against
    /// scripted answers, and the test reads its steps (it does not wait for ready).
    /// </summary>
    public static Task<KeystoreServer> StartCkdAsync(HttpMessageHandler rpc, IDictionary<string, string?>? settings = null)
    {
        var config = new Dictionary<string, string?>
        {
            ["Keystore:MasterSecret:Source"] = "ckd",
            ["Keystore:MasterSecret:BackupHex"] = null,
            ["Keystore:Tee:Provider"] = "simulator",
            ["Keystore:Near:RpcUrls:0"] = "http://rpc.invalid/",
            ["Keystore:Near:DaoContractId"] = "dao.test.near",
        };
        foreach ((string k, string? v) in settings ?? new Dictionary<string, string?>())
            config[k] = v;
        return StartAsync(config,
            builder => builder.Services.AddHttpClient(nameof(Keystore.Dao.NearConnection)).ConfigurePrimaryHttpMessageHandler(() => rpc),
            waitUntilReady: false);
    }

    public static async Task<KeystoreServer> StartAsync(IDictionary<string, string?>? settings = null, Action<WebApplicationBuilder>? configure = null,
        bool waitUntilReady = true)
    {
        var ownerKey = Key.Create(SignatureAlgorithm.Ed25519);
        var config = new Dictionary<string, string?>
        {
            ["Urls"] = "http://127.0.0.1:0",
            ["Keystore:MasterSecret:Source"] = "backup",
            ["Keystore:MasterSecret:BackupHex"] = MasterSecretHex,
            ["Keystore:Bitcoin:Network"] = "mainnet",
            [$"Keystore:Owners:{Owner}:0"] = new Keystore.Near.Keys.Ed25519PublicKey(ownerKey.PublicKey.Export(KeyBlobFormat.RawPublicKey)).ToString(),
            ["Logging:LogLevel:Default"] = "Warning",
        };
        foreach ((string k, string? v) in settings ?? new Dictionary<string, string?>())
            config[k] = v;
        // Each server its own state database (a temporary file, removed on dispose) unless the test shares one on purpose.
        string? stateFolder = null;
        if (!config.ContainsKey("Keystore:State:SqlitePath") && !config.ContainsKey("Keystore:State:Provider"))
        {
            stateFolder = Path.Combine(Path.GetTempPath(), "keystore-state-test-" + Guid.NewGuid().ToString("N"));
            config["Keystore:State:SqlitePath"] = Path.Combine(stateFolder, "state.db");
        }

        WebApplication app = KeystoreApplication.Build([], builder =>
        {
            builder.Configuration.AddInMemoryCollection(config);
            configure?.Invoke(builder);
        });
        await app.StartAsync();
        string address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var client = new HttpClient { BaseAddress = new Uri(address), Timeout = TimeSpan.FromSeconds(30) };
        var server = new KeystoreServer(app, ownerKey, client) { _stateFolder = stateFolder };
        if (waitUntilReady) await server.WaitUntilReadyAsync();
        return server;
    }

    public async Task WaitUntilReadyAsync()
    {
        for (int i = 0; i < 200; i++)
        {
            using HttpResponseMessage response = await Client.GetAsync("/v1/ready");
            if (response.IsSuccessStatusCode) return;
            await Task.Delay(25);
        }
        throw new TimeoutException("The keystore did not become ready.");
    }

    /// <summary>A signed POST, exactly as the README tells a client to make one.</summary>
    public HttpRequestMessage SignedPost(string path, string body, string? account = null, Key? key = null,
        long? timestampMs = null, byte[]? nonce = null, string recipient = "near-tee-keystore")
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Authorization = new AuthenticationHeaderValue("NEAR",
            Credential("POST", path, Encoding.UTF8.GetBytes(body), account ?? Owner, key ?? OwnerKey, timestampMs, nonce, recipient));
        return request;
    }

    public static string Credential(string method, string pathAndQuery, byte[] body, string account, Key key,
        long? timestampMs = null, byte[]? nonce = null, string recipient = NearCredential.DefaultRecipient) =>
        NearCredential.Create(method, pathAndQuery, body, account,
            new Keystore.Near.Keys.Ed25519PublicKey(key.PublicKey.Export(KeyBlobFormat.RawPublicKey)).ToString(),
            hash => SignatureAlgorithm.Ed25519.Sign(key, hash), timestampMs, nonce, recipient);

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
        OwnerKey.Dispose();
        if (_stateFolder is not null && Directory.Exists(_stateFolder))
            Directory.Delete(_stateFolder, recursive: true);
    }
}
