using Keystore.Near.Nep413;
using System.Diagnostics;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Keystore.Auth;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Keystore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using NSec.Cryptography;

namespace Keystore.Benchmarks;

/// <summary>
/// Throughput of <c>POST /v1/accounts/{account}/sign/ethereum</c> over loopback: a real Kestrel
/// keystore and a bounded load client on the same machine (so the figure includes both sides).
/// Each request carries a fresh NEP-413 signature and nonce, as real clients send them.
/// </summary>
public static class SignEndpointLoad
{
    public static async Task<int> RunAsync(int concurrency, TimeSpan duration)
    {
        using var owner = Key.Create(SignatureAlgorithm.Ed25519);
        string ownerKey = new Keystore.Near.Keys.Ed25519PublicKey(owner.PublicKey.Export(KeyBlobFormat.RawPublicKey)).ToString();
        WebApplication app = KeystoreApplication.Build([], builder =>
        {
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Urls"] = "http://127.0.0.1:0",
                ["Keystore:MasterSecret:Source"] = "backup",
                ["Keystore:MasterSecret:BackupHex"] = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32)),
                ["Keystore:Owners:alice.near:0"] = ownerKey,
                ["Logging:LogLevel:Default"] = "Warning",
            });
        });
        await app.StartAsync();
        string address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        using var client = new HttpClient { BaseAddress = new Uri(address) };
        while (!(await client.GetAsync("/v1/ready")).IsSuccessStatusCode) await Task.Delay(20);

        const string path = "/v1/accounts/alice.near/sign/ethereum";
        const string body = """{"transaction":{"type":"0x2","chainId":"0x1","nonce":"0x0","to":"0x3535353535353535353535353535353535353535","value":"0x1","gas":"0x5208","maxFeePerGas":"0x4a817c800","maxPriorityFeePerGas":"0x3b9aca00"}}""";
        byte[] bodyBytes = Encoding.UTF8.GetBytes(body);
        string bodyHash = Convert.ToHexStringLower(SHA256.HashData(bodyBytes));

        long ok = 0, failed = 0;
        var stopwatch = Stopwatch.StartNew();
        async Task Worker()
        {
            while (stopwatch.Elapsed < duration)
            {
                long ts = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
                byte[] nonce = RandomNumberGenerator.GetBytes(32);
                byte[] sig = SignatureAlgorithm.Ed25519.Sign(owner, Nep413Payload.Hash($"POST {path}\n{bodyHash}\n{ts}", nonce, "near-tee-keystore"));
                string credential = Convert.ToBase64String(Encoding.UTF8.GetBytes(new JsonObject
                {
                    ["accountId"] = "alice.near", ["publicKey"] = ownerKey, ["nonce"] = Convert.ToBase64String(nonce),
                    ["timestampMs"] = ts, ["signature"] = Convert.ToBase64String(sig),
                }.ToJsonString())).TrimEnd('=').Replace('+', '-').Replace('/', '_');
                using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new ByteArrayContent(bodyBytes) };
                request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
                request.Headers.Authorization = new AuthenticationHeaderValue("NEAR", credential);
                using HttpResponseMessage response = await client.SendAsync(request);
                if (response.IsSuccessStatusCode) Interlocked.Increment(ref ok); else Interlocked.Increment(ref failed);
            }
        }
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(_ => Task.Run(Worker)));
        double seconds = stopwatch.Elapsed.TotalSeconds;
        Console.WriteLine($"sign/ethereum over loopback: {ok} ok, {failed} failed in {seconds:F1} s with {concurrency} clients = {ok / seconds:F0} requests/s");
        await app.StopAsync();
        return failed == 0 ? 0 : 1;
    }
}
