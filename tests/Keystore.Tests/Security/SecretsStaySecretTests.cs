using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Keystore.Tests.Support;
using Microsoft.Extensions.Logging;
using NSec.Cryptography;

namespace Keystore.Tests.Security;

/// <summary>
/// The keystore at Trace through boot, key lookups, signing on every chain and every error path a client can
/// reach, with the master secret and everything below it known to the test: none of them may appear in any log
/// record (message, structured values, exception, scopes) or in any response (body or headers).
/// </summary>
public class SecretsStaySecretTests
{
    private const string Account = KeystoreServer.Owner;
    private static readonly uint[] Indices = [0, 1];

    /// <summary>
    /// The secrets of <see cref="Account"/>, computed independently of the keystore: the entropy with .NET's
    /// HMAC-SHA256 per the README, everything below it with the npm libraries of tests/oracles.
    /// </summary>
    private static async Task<SecretScanner> ForbiddenAsync()
    {
        byte[] master = Convert.FromHexString(KeystoreServer.MasterSecretHex);
        byte[] entropy = HMACSHA256.HashData(master, Encoding.UTF8.GetBytes("near-tee-keystore:v1:user:" + Account));
        JsonNode derived = await NodeOracle.RunAsync("keystore-secrets.mjs", new JsonObject
        {
            ["entropy"] = Convert.ToHexStringLower(entropy),
            ["indices"] = new JsonArray(Indices.Select(i => (JsonNode)i).ToArray()),
            ["bitcoinNetwork"] = "mainnet",
        });
        var scanner = new SecretScanner()
            .AddBytes("master secret", master)
            .AddText("master secret (as configured)", KeystoreServer.MasterSecretHex)
            .AddBytes("entropy", entropy)
            .AddMnemonic("mnemonic", derived["mnemonic"]!.GetValue<string>())
            .AddBytes("seed", Convert.FromHexString(derived["seed"]!.GetValue<string>()));
        foreach (uint i in Indices)
        {
            scanner.AddBytes($"ethereum key {i}", Convert.FromHexString(derived["ethereum"]![(int)i]!.GetValue<string>()));
            scanner.AddBytes($"bitcoin key {i}", Convert.FromHexString(derived["bitcoin"]![(int)i]!["privateKey"]!.GetValue<string>()));
            scanner.AddBytes($"bitcoin tweaked key {i}", Convert.FromHexString(derived["bitcoin"]![(int)i]!["tweaked"]!.GetValue<string>()));
            scanner.AddBytes($"solana key {i}", Convert.FromHexString(derived["solana"]![(int)i]!["seed"]!.GetValue<string>()));
            scanner.AddBytes($"solana secret key {i} (64 bytes)", Convert.FromHexString(derived["solana"]![(int)i]!["secretKey"]!.GetValue<string>()));
        }
        return scanner;
    }

    private static Task<KeystoreServer> StartAtTraceAsync(CapturedLog log, IDictionary<string, string?>? settings = null, bool waitUntilReady = true)
    {
        var config = new Dictionary<string, string?>(settings ?? new Dictionary<string, string?>())
        {
            ["Logging:LogLevel:Default"] = "Trace",
            ["Logging:LogLevel:Microsoft"] = "Trace",
            ["Logging:LogLevel:Microsoft.AspNetCore"] = "Trace",
            ["Logging:LogLevel:System"] = "Trace",
            ["Logging:LogLevel:System.Net.Http.HttpClient"] = "Trace",
        };
        return KeystoreServer.StartAsync(config, builder =>
        {
            builder.Logging.ClearProviders();
            builder.Logging.SetMinimumLevel(LogLevel.Trace);
            builder.Logging.AddProvider(log);
        }, waitUntilReady);
    }

    [Fact]
    public async Task No_secret_reaches_a_log_line_or_a_response_at_Trace()
    {
        SecretScanner forbidden = await ForbiddenAsync();
        var log = new CapturedLog();
        var exchanges = new Exchanges();
        await using (KeystoreServer server = await StartAtTraceAsync(log))
        {
            await RunEveryPathAsync(server, exchanges);

            // The keys the keystore signed with are the ones the oracles derived: the forbidden values are the real ones.
            JsonNode addresses = await NodeOracle.RunAsync("keystore-addresses.mjs", new JsonObject
            {
                ["mnemonic"] = forbidden.Needles.First(n => n.Name == "mnemonic").Value,
                ["indices"] = new JsonArray(Indices.Select(i => (JsonNode)i).ToArray()),
                ["bitcoinNetwork"] = "mainnet",
            });
            foreach (string chain in new[] { "ethereum", "bitcoin", "solana" })
                foreach (uint i in Indices)
                    Assert.Equal(addresses[chain]![(int)i]!.GetValue<string>(), exchanges.Addresses[(chain, i)]);
        }

        // A boot that fails on a secret file that is almost right (one digit too many): 503s everywhere, and
        // neither the failure on /v1/ready nor its log echoes the file.
        string file = Path.GetTempFileName();
        await File.WriteAllTextAsync(file, KeystoreServer.MasterSecretHex + "0");
        await using (KeystoreServer broken = await StartAtTraceAsync(log, new Dictionary<string, string?>
        {
            ["Keystore:MasterSecret:BackupHex"] = null,
            ["Keystore:MasterSecret:BackupFile"] = file,
        }, waitUntilReady: false))
        {
            JsonNode ready = new JsonObject();
            for (int attempt = 0; attempt < 100 && !ready.ToJsonString().Contains("not 64 hexadecimal", StringComparison.Ordinal); attempt++)
            {
                await Task.Delay(20);
                ready = await GetAsync(broken, exchanges, "/v1/ready", HttpStatusCode.ServiceUnavailable);
            }
            Assert.Contains("not 64 hexadecimal", ready.ToJsonString());
            await GetAsync(broken, exchanges, $"/v1/accounts/{Account}/keys/ethereum", HttpStatusCode.ServiceUnavailable);
            await SignAsync(broken, exchanges, "ethereum", """{"message":"x"}""", HttpStatusCode.ServiceUnavailable);
        }
        File.Delete(file);

        IReadOnlyCollection<CapturedLogRecord> records = log.Records;
        // Trace really is on and the capture sees the whole pipeline: boot, hosting, routing, every request.
        Assert.Contains(records, r => r.Level == LogLevel.Trace);
        Assert.Contains(records, r => r.Level == LogLevel.Debug);
        Assert.Contains(records, r => r.Category.StartsWith("Keystore.", StringComparison.Ordinal));
        Assert.True(records.Count(r => r.Category == "Microsoft.AspNetCore.Hosting.Diagnostics") >= exchanges.Count,
            $"{exchanges.Count} requests but only {records.Count(r => r.Category == "Microsoft.AspNetCore.Hosting.Diagnostics")} hosting records");

        var leaks = new List<string>();
        foreach (CapturedLogRecord record in records)
            foreach (string name in forbidden.Find(record.Text))
                leaks.Add($"log [{record.Level} {record.Category}]: {name}");
        foreach (Exchange exchange in exchanges.All)
            foreach (string name in forbidden.Find(exchange.Headers + "\n" + exchange.Body))
                leaks.Add($"response to {exchange.Request}: {name}");
        Assert.True(leaks.Count == 0, "Secrets leaked:\n" + string.Join("\n", leaks.Distinct()));
    }

    [Fact]
    public async Task The_scanner_finds_each_secret_in_a_log_message_an_exception_a_scope_a_value_and_a_body()
    {
        SecretScanner forbidden = await ForbiddenAsync();
        var log = new CapturedLog();
        await using (KeystoreServer server = await StartAtTraceAsync(log))
        {
            ILogger probe = server.Services.GetRequiredService<ILoggerFactory>().CreateLogger("LeakProbe");
            int k = 0;
            foreach (var (_, value) in forbidden.Needles)
            {
                probe.LogTrace("message {Tag}: {Value}", $"[m{k}]", "<" + value + ">");
                probe.LogTrace(new InvalidOperationException("failed with <" + value + ">"), "exception {Tag}", $"[e{k}]");
                using (probe.BeginScope(new Dictionary<string, object?> { ["Value"] = value }))
                    probe.LogTrace("scope {Tag}", $"[s{k}]");
                k++;
            }
            // A structured byte[] value, as a JSON sink would write it.
            probe.LogTrace("bytes {Value}", Convert.FromHexString(KeystoreServer.MasterSecretHex));
        }

        CapturedLogRecord[] probes = log.Records.Where(r => r.Category == "LeakProbe").ToArray();
        int n = 0;
        foreach (var (name, value) in forbidden.Needles)
        {
            foreach (string kind in new[] { "m", "e", "s" })
                Assert.Contains(name, forbidden.Find(probes.Single(r => r.Text.Contains($"[{kind}{n}]", StringComparison.Ordinal)).Text));
            // In a JSON response body, escaped the way System.Text.Json escapes by default.
            Assert.Contains(name, forbidden.Find(new JsonObject { ["detail"] = "x" + value + "y" }.ToJsonString()));
            n++;
        }
        Assert.Contains("master secret (base64)", forbidden.Find(probes.Single(r => r.Text.StartsWith("bytes ", StringComparison.Ordinal)).Text));
        // And nothing is found where there is nothing.
        Assert.Empty(forbidden.Find("""{"type":"urn:near-tee-keystore:problem:bad-signature","status":401}"""));
    }

    private sealed record Exchange(string Request, HttpStatusCode Status, string Headers, string Body);

    private sealed class Exchanges
    {
        private readonly List<Exchange> _all = [];
        public IReadOnlyList<Exchange> All => _all;
        public int Count => _all.Count;
        public Dictionary<(string Chain, uint Index), string> Addresses { get; } = [];
        public void Add(Exchange exchange) => _all.Add(exchange);
    }

    private static async Task<JsonNode> SendAsync(KeystoreServer server, Exchanges exchanges, HttpRequestMessage request, HttpStatusCode expected)
    {
        string label = $"{request.Method} {request.RequestUri}";
        using HttpResponseMessage response = await server.Client.SendAsync(request);
        string body = await response.Content.ReadAsStringAsync();
        exchanges.Add(new Exchange(label, response.StatusCode, response.Headers + "\n" + response.Content.Headers, body));
        Assert.True(response.StatusCode == expected, $"{label}: expected {(int)expected}, got {(int)response.StatusCode} {body}");
        return body.Length == 0 ? new JsonObject() : JsonNode.Parse(body)!;
    }

    private static Task<JsonNode> GetAsync(KeystoreServer server, Exchanges exchanges, string path, HttpStatusCode expected = HttpStatusCode.OK) =>
        SendAsync(server, exchanges, new HttpRequestMessage(HttpMethod.Get, path), expected);

    private static Task<JsonNode> SignAsync(KeystoreServer server, Exchanges exchanges, string chain, string body, HttpStatusCode expected = HttpStatusCode.OK,
        string account = Account) =>
        SendAsync(server, exchanges, server.SignedPost($"/v1/accounts/{account}/sign/{chain}", body), expected);

    private const string To = "0x3535353535353535353535353535353535353535";

    private static async Task RunEveryPathAsync(KeystoreServer server, Exchanges x)
    {
        // Service routes.
        await GetAsync(server, x, "/v1/health");
        await GetAsync(server, x, "/v1/ready");
        await GetAsync(server, x, "/v1/attestation");
        await GetAsync(server, x, "/v1/attestation/registration");

        // Key lookups on every chain, and their errors.
        foreach (string chain in new[] { "ethereum", "bitcoin", "solana" })
            foreach (uint i in Indices)
            {
                JsonNode key = await GetAsync(server, x, $"/v1/accounts/{Account}/keys/{chain}?index={i}");
                x.Addresses[(chain, i)] = key["address"]!.GetValue<string>();
            }
        await GetAsync(server, x, $"/v1/accounts/{Account}/keys/dogecoin", HttpStatusCode.BadRequest);
        await GetAsync(server, x, "/v1/accounts/ALICE/keys/ethereum", HttpStatusCode.BadRequest);
        foreach (string index in new[] { "-1", "abc", "2147483648", "1.5" })
            await GetAsync(server, x, $"/v1/accounts/{Account}/keys/ethereum?index={index}", HttpStatusCode.BadRequest);
        await GetAsync(server, x, "/v1/nothing-here", HttpStatusCode.NotFound);
        await GetAsync(server, x, $"/v1/accounts/{Account}/sign/ethereum", HttpStatusCode.MethodNotAllowed);

        // Ethereum: the three transaction types, personal messages (text and bytes), typed data.
        await SignAsync(server, x, "ethereum", $$$"""{"index": 1, "transaction": {"type": "0x2", "chainId": "0x1", "nonce": "0x7", "to": "{{{To}}}", "value": "1000000000000000000", "gas": "21000", "maxFeePerGas": "0x4a817c800", "maxPriorityFeePerGas": "0x3b9aca00", "data": "0x"}}""");
        await SignAsync(server, x, "ethereum", $$$"""{"transaction": {"type": "0x1", "chainId": "0x1", "nonce": "0x1", "to": "{{{To}}}", "value": "0", "gas": "30000", "gasPrice": "0x4a817c800", "data": "0xdeadbeef", "accessList": []}}""");
        await SignAsync(server, x, "ethereum", $$$"""{"transaction": {"type": "0x0", "chainId": "0x1", "nonce": "0x2", "to": "{{{To}}}", "value": "5", "gas": "21000", "gasPrice": "0x4a817c800"}}""");
        await SignAsync(server, x, "ethereum", """{"message": "log in to app.example"}""");
        await SignAsync(server, x, "ethereum", """{"index": 1, "message": "0xdeadbeef"}""");
        await SignAsync(server, x, "ethereum", """
            {"typedData": {
              "types": {
                "EIP712Domain": [{"name":"name","type":"string"},{"name":"version","type":"string"},{"name":"chainId","type":"uint256"},{"name":"verifyingContract","type":"address"}],
                "Person": [{"name":"name","type":"string"},{"name":"wallet","type":"address"}],
                "Mail": [{"name":"from","type":"Person"},{"name":"to","type":"Person"},{"name":"contents","type":"string"}]
              },
              "primaryType": "Mail",
              "domain": {"name":"Ether Mail","version":"1","chainId":1,"verifyingContract":"0xCcCCccccCCCCcCCCCCCcCcCccCcCCCcCcccccccC"},
              "message": {"from": {"name":"Cow","wallet":"0xCD2a3d9F938E13CD947Ec05AbC7FE734Df8DD826"}, "to": {"name":"Bob","wallet":"0xbBbBBBBbbBBBbbbBbbBbbbbBBbBbbbbBbBbbBBbB"}, "contents": "Hello, Bob!"}
            }}
            """);

        // Bitcoin: a PSBT with our input and a foreign one; one with no input of ours.
        foreach (uint i in Indices)
        {
            string publicKey = (await GetAsync(server, x, $"/v1/accounts/{Account}/keys/bitcoin?index={i}"))["publicKey"]!.GetValue<string>();
            JsonNode psbts = await NodeOracle.RunAsync("keystore-api.mjs", new JsonObject { ["op"] = "psbt-build", ["publicKey"] = publicKey, ["network"] = "mainnet" });
            await SignAsync(server, x, "bitcoin", new JsonObject { ["index"] = i, ["psbt"] = psbts["psbt"]!.GetValue<string>() }.ToJsonString());
            await SignAsync(server, x, "bitcoin", new JsonObject { ["index"] = i, ["psbt"] = psbts["foreignPsbt"]!.GetValue<string>() }.ToJsonString(), HttpStatusCode.BadRequest);
        }

        // Solana: v0 and legacy messages, a wire transaction, a message we do not sign for.
        foreach (uint i in Indices)
        {
            JsonNode messages = await NodeOracle.RunAsync("keystore-api.mjs", new JsonObject { ["op"] = "sol-message", ["address"] = x.Addresses[("solana", i)] });
            await SignAsync(server, x, "solana", new JsonObject { ["index"] = i, ["message"] = messages["message"]!.GetValue<string>() }.ToJsonString());
            await SignAsync(server, x, "solana", new JsonObject { ["index"] = i, ["message"] = messages["legacyMessage"]!.GetValue<string>() }.ToJsonString());
            byte[] message = Convert.FromBase64String(messages["message"]!.GetValue<string>());
            byte[] wire = [1, .. new byte[64], .. message]; // one signature slot, empty, then the message
            await SignAsync(server, x, "solana", new JsonObject { ["index"] = i, ["transaction"] = Convert.ToBase64String(wire) }.ToJsonString());
            await SignAsync(server, x, "solana", new JsonObject { ["index"] = i, ["message"] = messages["foreignMessage"]!.GetValue<string>() }.ToJsonString(), HttpStatusCode.BadRequest);
        }

        // Bad bodies on every chain.
        (string Chain, string Body)[] badBodies =
        [
            ("ethereum", "{not json"), ("ethereum", "[1,2]"), ("ethereum", """{"index": -1, "message": "x"}"""), ("ethereum", """{"index": "0", "message": "x"}"""),
            ("ethereum", $$$"""{"transaction": {"type": "0x2", "chainId": "0x1", "nonce": "-1", "to": "{{{To}}}", "value": "0", "gas": "21000", "maxFeePerGas": "1", "maxPriorityFeePerGas": "1"}}"""),
            ("ethereum", $$$"""{"transaction": {"type": "0x2", "nonce": "0", "to": "{{{To}}}", "value": "0", "gas": "21000", "maxFeePerGas": "1", "maxPriorityFeePerGas": "1"}}"""),
            ("ethereum", """{"typedData": {"types": {}, "primaryType": "Nope", "domain": {}, "message": {}}}"""),
            ("bitcoin", """{"psbt": "this is not base64!"}"""), ("bitcoin", """{"psbt": "cHNidP8BAHsCAAAAAgEBAQEBAQ=="}"""), ("bitcoin", "{}"),
            ("solana", """{"message": "%%%"}"""), ("solana", """{"transaction": "AAAA"}"""), ("solana", """{"message": "AQID"}"""),
            ("dogecoin", """{"message": "x"}"""),
        ];
        foreach (var (chain, body) in badBodies)
            await SignAsync(server, x, chain, body, HttpStatusCode.BadRequest);
        await SignAsync(server, x, "ethereum", """{"message": "x"}""", HttpStatusCode.BadRequest, account: "ALICE");
        await SignAsync(server, x, "ethereum", "{\"message\": \"" + new string('a', 256 * 1024) + "\"}", HttpStatusCode.RequestEntityTooLarge);

        // Bad authorization: missing, malformed, expired, signed over other bytes or for another service,
        // a stranger's key, the owner acting for another account, a replay.
        string ethPath = $"/v1/accounts/{Account}/sign/ethereum";
        await SendAsync(server, x, new HttpRequestMessage(HttpMethod.Post, ethPath) { Content = Json("""{"message":"x"}""") }, HttpStatusCode.Unauthorized);
        foreach (string header in new[] { "Bearer abc", "NEAR !!!", "NEAR e30", "NEAR " + Convert.ToBase64String("{\"accountId\":1}"u8.ToArray()) })
        {
            var request = new HttpRequestMessage(HttpMethod.Post, ethPath) { Content = Json("""{"message":"x"}""") };
            request.Headers.TryAddWithoutValidation("Authorization", header);
            await SendAsync(server, x, request, HttpStatusCode.Unauthorized);
        }
        foreach (int minutes in new[] { -6, 6 })
            await SendAsync(server, x, server.SignedPost(ethPath, """{"message":"x"}""", timestampMs: DateTimeOffset.UtcNow.AddMinutes(minutes).ToUnixTimeMilliseconds()), HttpStatusCode.Unauthorized);
        HttpRequestMessage swapped = server.SignedPost(ethPath, """{"message":"pay 1"}""");
        swapped.Content = Json("""{"message":"pay 1000"}""");
        await SendAsync(server, x, swapped, HttpStatusCode.Unauthorized);
        await SendAsync(server, x, server.SignedPost(ethPath, """{"message":"x"}""", recipient: "other-service"), HttpStatusCode.Unauthorized);
        using (var stranger = Key.Create(SignatureAlgorithm.Ed25519))
            await SendAsync(server, x, server.SignedPost(ethPath, """{"message":"x"}""", key: stranger), HttpStatusCode.Forbidden);
        await SignAsync(server, x, "ethereum", """{"message":"x"}""", HttpStatusCode.Forbidden, account: "bob.near");
        byte[] nonce = RandomNumberGenerator.GetBytes(32);
        long ts = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        await SendAsync(server, x, server.SignedPost(ethPath, """{"message":"x"}""", timestampMs: ts, nonce: nonce), HttpStatusCode.OK);
        await SendAsync(server, x, server.SignedPost(ethPath, """{"message":"x"}""", timestampMs: ts, nonce: nonce), HttpStatusCode.Unauthorized);
        foreach (string chain in new[] { "bitcoin", "solana" })
            await SendAsync(server, x, server.SignedPost($"/v1/accounts/{Account}/sign/{chain}", "{}", key: Key.Create(SignatureAlgorithm.Ed25519)), HttpStatusCode.Forbidden);
    }

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");
}
