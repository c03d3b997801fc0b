using System.Diagnostics;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Keystore.Auth;
using Keystore.Client;
using Keystore.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using NSec.Cryptography;

namespace Keystore.Benchmarks;

/// <summary>
/// Throughput of <c>POST /v1/accounts/{account}/sign/ethereum</c> over loopback: a real Kestrel
/// keystore and a bounded load client on the same machine (so the figure includes both sides).
/// Each request carries a fresh NEP-413 signature and nonce, as real clients send them.
/// </summary>
public static class SignEndpointLoad
{
    private const string Path = "/v1/accounts/alice.near/sign/ethereum";
    private const string Body = """{"transaction":{"type":"0x2","chainId":"0x1","nonce":"0x0","to":"0x3535353535353535353535353535353535353535","value":"0x1","gas":"0x5208","maxFeePerGas":"0x4a817c800","maxPriorityFeePerGas":"0x3b9aca00"}}""";

    public static async Task<int> RunAsync(int concurrency, TimeSpan duration)
    {
        await using Server server = await Server.StartAsync();
        var (ok, failed, seconds) = await SignAsync(server, concurrency, duration, CancellationToken.None);
        Console.WriteLine($"sign/ethereum over loopback: {ok} ok, {failed} failed in {seconds:F1} s with {concurrency} clients = {ok / seconds:F0} requests/s");
        return failed == 0 ? 0 : 1;
    }

    /// <summary>Signing clients for <paramref name="duration"/>: successful and failed requests, and the seconds they took.</summary>
    internal static async Task<(long Ok, long Failed, double Seconds)> SignAsync(Server server, int concurrency, TimeSpan duration, CancellationToken ct)
    {
        byte[] bodyBytes = Encoding.UTF8.GetBytes(Body);
        string ownerPublicKey = new Keystore.Near.Keys.Ed25519PublicKey(server.Owner.PublicKey.Export(KeyBlobFormat.RawPublicKey)).ToString();
        long ok = 0, failed = 0;
        var stopwatch = Stopwatch.StartNew();
        async Task Worker()
        {
            while (stopwatch.Elapsed < duration && !ct.IsCancellationRequested)
            {
                string credential = NearCredential.Create("POST", Path, bodyBytes, "alice.near", ownerPublicKey,
                    hash => SignatureAlgorithm.Ed25519.Sign(server.Owner, hash));
                using var request = new HttpRequestMessage(HttpMethod.Post, Path) { Content = new ByteArrayContent(bodyBytes) };
                request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
                request.Headers.Authorization = new AuthenticationHeaderValue("NEAR", credential);
                using HttpResponseMessage response = await server.Client.SendAsync(request);
                if (response.IsSuccessStatusCode) Interlocked.Increment(ref ok); else Interlocked.Increment(ref failed);
            }
        }
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(_ => Task.Run(Worker)));
        return (ok, failed, stopwatch.Elapsed.TotalSeconds);
    }

    /// <summary>A real keystore on Kestrel (loopback, random port) with one owner whose key the load client holds.</summary>
    internal sealed class Server : IAsyncDisposable
    {
        private readonly WebApplication _app;

        private Server(WebApplication app, Key owner, string ownerKey, HttpClient client)
        {
            _app = app;
            Owner = owner;
            OwnerKey = ownerKey;
            Client = client;
        }

        public Key Owner { get; }
        public string OwnerKey { get; }
        public HttpClient Client { get; }
        public Uri Address => Client.BaseAddress!;

        public static async Task<Server> StartAsync(IDictionary<string, string?>? settings = null)
        {
            var owner = Key.Create(SignatureAlgorithm.Ed25519);
            string ownerKey = new Keystore.Near.Keys.Ed25519PublicKey(owner.PublicKey.Export(KeyBlobFormat.RawPublicKey)).ToString();
            WebApplication app = KeystoreApplication.Build([], builder =>
            {
                builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
                {
                    ["Urls"] = "http://127.0.0.1:0",
                    ["Keystore:MasterSecret:Source"] = "backup",
                    ["Keystore:MasterSecret:BackupHex"] = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32)),
                    ["Keystore:Tee:Provider"] = "none",
                    // A fresh secret each run, so a fresh state database each run too.
                    ["Keystore:State:SqlitePath"] = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "keystore-bench-state-" + Guid.NewGuid().ToString("N"), "state.db"),
                    ["Keystore:Owners:alice.near:0"] = ownerKey,
                    ["Logging:LogLevel:Default"] = "Warning",
                });
                if (settings is not null) builder.Configuration.AddInMemoryCollection(settings);
            });
            await app.StartAsync();
            string address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            var client = new HttpClient { BaseAddress = new Uri(address) };
            while (!(await client.GetAsync("/v1/ready")).IsSuccessStatusCode) await Task.Delay(20);
            return new Server(app, owner, ownerKey, client);
        }

        public async ValueTask DisposeAsync()
        {
            Client.Dispose();
            await _app.StopAsync();
            await _app.DisposeAsync();
            Owner.Dispose();
        }
    }
}
