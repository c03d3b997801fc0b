using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Keystore.Export;
using Keystore.Tests.Export.Support;
using Keystore.Tests.Support;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NSec.Cryptography;

namespace Keystore.Tests.Export;

/// <summary>
/// <c>POST /v1/accounts/{account}/export</c> end to end on Kestrel: the owner's export is decrypted by the real
/// <c>age</c> binary, and what MetaMask, Phantom and Sparrow derive from it (ethers, @solana/web3.js with SLIP-0010,
/// @scure/bip32 with @scure/btc-signer) are the addresses the keystore serves.
/// </summary>
public class ExportEndpointTests
{
    private const string Account = KeystoreServer.Owner;
    private const string ExportPath = "/v1/accounts/alice.near/export";
    private static readonly uint[] Indices = [0, 1];

    private static async Task<(HttpStatusCode Status, JsonNode Body, string Raw, HttpResponseMessage Response)> SendAsync(KeystoreServer server, HttpRequestMessage request)
    {
        HttpResponseMessage response = await server.Client.SendAsync(request);
        string raw = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, raw.Length == 0 ? new JsonObject() : JsonNode.Parse(raw)!, raw, response);
    }

    private static string Body(string recipient, params JsonNode[] include) =>
        new JsonObject { ["recipient"] = recipient, ["include"] = new JsonArray(include) }.ToJsonString();

    private static JsonNode Key(string chain, uint index) => new JsonObject { ["chain"] = chain, ["index"] = index };

    private static async Task<string> AddressAsync(KeystoreServer server, string chain, uint index) =>
        JsonNode.Parse(await server.Client.GetStringAsync($"/v1/accounts/{Account}/keys/{chain}?index={index}"))!["address"]!.GetValue<string>();

    /// <summary>The account's secrets, computed independently (HMAC in .NET, the rest with the npm oracles).</summary>
    private static async Task<(SecretScanner Scanner, JsonNode Derived)> SecretsAsync(string network)
    {
        byte[] master = Convert.FromHexString(KeystoreServer.MasterSecretHex);
        byte[] entropy = HMACSHA256.HashData(master, Encoding.UTF8.GetBytes("near-tee-keystore:v1:user:" + Account));
        JsonNode derived = await NodeOracle.RunAsync("keystore-secrets.mjs", new JsonObject
        {
            ["entropy"] = Convert.ToHexStringLower(entropy),
            ["indices"] = new JsonArray(Indices.Select(i => (JsonNode)i).ToArray()),
            ["bitcoinNetwork"] = network,
        });
        var scanner = new SecretScanner()
            .AddBytes("master secret", master)
            .AddBytes("entropy", entropy)
            .AddMnemonic("mnemonic", derived["mnemonic"]!.GetValue<string>())
            .AddBytes("seed", Convert.FromHexString(derived["seed"]!.GetValue<string>()));
        foreach (uint i in Indices)
        {
            scanner.AddBytes($"ethereum key {i}", Convert.FromHexString(derived["ethereum"]![(int)i]!.GetValue<string>()));
            scanner.AddBytes($"bitcoin key {i}", Convert.FromHexString(derived["bitcoin"]![(int)i]!["privateKey"]!.GetValue<string>()));
            scanner.AddBytes($"solana key {i}", Convert.FromHexString(derived["solana"]![(int)i]!["seed"]!.GetValue<string>()));
            scanner.AddBytes($"solana keypair {i}", Convert.FromHexString(derived["solana"]![(int)i]!["secretKey"]!.GetValue<string>()));
        }
        return (scanner, derived);
    }

    [Fact]
    public async Task An_owner_export_decrypts_with_age_and_imports_into_MetaMask_Phantom_and_Sparrow_as_the_served_addresses()
    {
        var log = new CapturedLog();
        await using KeystoreServer server = await KeystoreServer.StartAsync(new Dictionary<string, string?>
        {
            ["Logging:LogLevel:Default"] = "Trace",
        }, builder =>
        {
            builder.Logging.ClearProviders();
            builder.Logging.SetMinimumLevel(LogLevel.Trace);
            builder.Logging.AddProvider(log);
        });
        using AgeCli age = await AgeCli.KeygenAsync();
        var include = new List<JsonNode> { "mnemonic" };
        foreach (string chain in new[] { "ethereum", "solana", "bitcoin" })
            foreach (uint i in Indices)
                include.Add(Key(chain, i));

        var (status, answer, raw, response) = await SendAsync(server, server.SignedPost(ExportPath, Body(age.Recipient, [.. include])));
        Assert.True(status == HttpStatusCode.OK, raw);
        Assert.Equal(Account, answer["account"]!.GetValue<string>());
        Assert.Equal(age.Recipient, answer["recipient"]!.GetValue<string>());
        Assert.Equal(AccountExportWriter.Format, answer["format"]!.GetValue<string>());
        Assert.Equal(["mnemonic", "ethereum/0", "ethereum/1", "solana/0", "solana/1", "bitcoin/0", "bitcoin/1"],
            answer["contents"]!.AsArray().Select(n => n!.GetValue<string>()));

        AgeRun decrypted = await age.DecryptAsync(Encoding.ASCII.GetBytes(answer["armored"]!.GetValue<string>()));
        Assert.True(decrypted.ExitCode == 0, decrypted.StdErr);
        JsonNode export = JsonNode.Parse(decrypted.StdOut)!;
        Assert.Equal(AccountExportWriter.Format, export["format"]!.GetValue<string>());
        Assert.Equal(Account, export["account"]!.GetValue<string>());
        Assert.Equal("", export["bip39Passphrase"]!.GetValue<string>());

        // The exported secrets are the account's, as derived independently from its entropy.
        var (scanner, derived) = await SecretsAsync("mainnet");
        Assert.Equal(derived["mnemonic"]!.GetValue<string>(), export["mnemonic"]!.GetValue<string>());
        JsonArray keys = export["keys"]!.AsArray();
        Assert.Equal(6, keys.Count);
        foreach (JsonNode? key in keys)
        {
            int index = key!["index"]!.GetValue<int>();
            string privateKey = key["privateKey"]!.GetValue<string>();
            switch (key["chain"]!.GetValue<string>())
            {
                case "ethereum":
                    Assert.Equal("hex", key["format"]!.GetValue<string>());
                    Assert.Equal("0x" + derived["ethereum"]![index]!.GetValue<string>(), privateKey);
                    Assert.Equal($"m/44'/60'/0'/0/{index}", key["path"]!.GetValue<string>());
                    break;
                case "solana":
                    Assert.Equal("base58-keypair", key["format"]!.GetValue<string>());
                    Assert.Equal(derived["solana"]![index]!["secretKey"]!.GetValue<string>(), Convert.ToHexStringLower(Keystore.Near.Encoding.Base58.Decode(privateKey)));
                    Assert.Equal($"m/44'/501'/{index}'/0'", key["path"]!.GetValue<string>());
                    break;
                case "bitcoin":
                    Assert.Equal("wif", key["format"]!.GetValue<string>());
                    Assert.Matches("^[KL][1-9A-HJ-NP-Za-km-z]{51}$", privateKey); // compressed mainnet WIF
                    Assert.Equal($"m/86'/0'/0'/0/{index}", key["path"]!.GetValue<string>());
                    break;
                default:
                    Assert.Fail("unexpected chain");
                    break;
            }
        }

        // What the wallets show, from the mnemonic and from each private key, is what the keystore serves.
        JsonNode wallets = await NodeOracle.RunAsync("keystore-export.mjs", new JsonObject
        {
            ["export"] = export.DeepClone(),
            ["indices"] = new JsonArray(Indices.Select(i => (JsonNode)i).ToArray()),
            ["bitcoinNetwork"] = "mainnet",
        });
        Assert.True(wallets["mnemonicValid"]!.GetValue<bool>());
        foreach (string chain in new[] { "ethereum", "solana", "bitcoin" })
            foreach (uint i in Indices)
                Assert.Equal(await AddressAsync(server, chain, i), wallets["fromMnemonic"]![chain]![(int)i]!.GetValue<string>());
        for (int k = 0; k < keys.Count; k++)
        {
            string chain = keys[k]!["chain"]!.GetValue<string>();
            uint index = keys[k]!["index"]!.GetValue<uint>();
            string served = await AddressAsync(server, chain, index);
            Assert.Equal(served, wallets["fromKeys"]![k]!["address"]!.GetValue<string>());
            Assert.Equal(served, keys[k]!["address"]!.GetValue<string>());
        }

        // Only ciphertext crossed the wire and nothing readable reached the log, at Trace; the export was audited.
        Assert.Empty(scanner.Find(raw + "\n" + response.Headers + response.Content.Headers));
        var leaks = log.Records.SelectMany(r => scanner.Find(r.Text).Select(name => $"[{r.Category}] {name}")).ToList();
        Assert.True(leaks.Count == 0, "Secrets in the log:\n" + string.Join("\n", leaks));
        CapturedLogRecord audit = Assert.Single(log.Records, r => r.Text.Contains("Audit: exported", StringComparison.Ordinal));
        Assert.Contains("mnemonic,ethereum/0,ethereum/1,solana/0,solana/1,bitcoin/0,bitcoin/1", audit.Text);
        Assert.Contains(age.Recipient, audit.Text);
        Assert.Contains(server.OwnerPublicKey, audit.Text);
    }

    [Fact]
    public async Task A_testnet_keystore_exports_testnet_WIF_that_btc_signer_reads_as_the_served_tb1p_address()
    {
        await using KeystoreServer server = await KeystoreServer.StartAsync(new Dictionary<string, string?> { ["Keystore:Bitcoin:Network"] = "testnet" });
        using AgeCli age = await AgeCli.KeygenAsync();
        var (status, answer, raw, _) = await SendAsync(server, server.SignedPost(ExportPath, Body(age.Recipient, Key("bitcoin", 1))));
        Assert.True(status == HttpStatusCode.OK, raw);
        AgeRun decrypted = await age.DecryptAsync(Encoding.ASCII.GetBytes(answer["armored"]!.GetValue<string>()));
        Assert.True(decrypted.ExitCode == 0, decrypted.StdErr);
        JsonNode export = JsonNode.Parse(decrypted.StdOut)!;
        Assert.Null(export["mnemonic"]);
        JsonNode key = Assert.Single(export["keys"]!.AsArray())!;
        Assert.Equal("m/86'/1'/0'/0/1", key["path"]!.GetValue<string>());
        Assert.StartsWith("c", key["privateKey"]!.GetValue<string>(), StringComparison.Ordinal); // compressed testnet WIF

        JsonNode wallets = await NodeOracle.RunAsync("keystore-export.mjs", new JsonObject
        {
            ["export"] = export.DeepClone(), ["indices"] = new JsonArray(), ["bitcoinNetwork"] = "testnet",
        });
        string served = await AddressAsync(server, "bitcoin", 1);
        Assert.StartsWith("tb1p", served, StringComparison.Ordinal);
        Assert.Equal(served, wallets["fromKeys"]![0]!["address"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("mainnet", "xprv")]
    [InlineData("testnet", "tprv")]
    public async Task The_BIP86_account_xprv_is_the_one_scure_bip32_derives_from_the_mnemonic_and_yields_the_served_addresses(string network, string prefix)
    {
        await using KeystoreServer server = await KeystoreServer.StartAsync(new Dictionary<string, string?> { ["Keystore:Bitcoin:Network"] = network });
        using AgeCli age = await AgeCli.KeygenAsync();
        var xprvItem = new JsonObject { ["chain"] = "bitcoin", ["format"] = "xprv" };
        var (status, answer, raw, _) = await SendAsync(server, server.SignedPost(ExportPath, Body(age.Recipient, "mnemonic", xprvItem)));
        Assert.True(status == HttpStatusCode.OK, raw);
        Assert.Equal(["mnemonic", "bitcoin/xprv"], answer["contents"]!.AsArray().Select(n => n!.GetValue<string>()));
        AgeRun decrypted = await age.DecryptAsync(Encoding.ASCII.GetBytes(answer["armored"]!.GetValue<string>()));
        Assert.True(decrypted.ExitCode == 0, decrypted.StdErr);
        JsonNode export = JsonNode.Parse(decrypted.StdOut)!;
        JsonNode key = Assert.Single(export["keys"]!.AsArray())!;
        Assert.StartsWith(prefix, key["privateKey"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(network == "mainnet" ? "m/86'/0'/0'" : "m/86'/1'/0'", key["path"]!.GetValue<string>());

        JsonNode wallets = await NodeOracle.RunAsync("keystore-export.mjs", new JsonObject
        {
            ["export"] = export.DeepClone(),
            ["indices"] = new JsonArray(Indices.Select(i => (JsonNode)i).ToArray()),
            ["bitcoinNetwork"] = network,
        });
        JsonNode fromXprv = wallets["fromKeys"]![0]!;
        Assert.True(fromXprv["matchesMnemonic"]!.GetValue<bool>());
        Assert.Equal(3, fromXprv["depth"]!.GetValue<int>());
        Assert.Equal(fromXprv["fingerprint"]!.GetValue<string>(), key["masterFingerprint"]!.GetValue<string>());
        foreach (uint i in Indices)
            Assert.Equal(await AddressAsync(server, "bitcoin", i), fromXprv["addresses"]![(int)i]!.GetValue<string>());
    }

    public static TheoryData<string, HttpStatusCode, string> BadBodies => new()
    {
        { "{not json", HttpStatusCode.BadRequest, "invalid-json" },
        { """{"recipient":"R","recipient":"R","include":["mnemonic"]}""", HttpStatusCode.BadRequest, "invalid-json" },
        { "[]", HttpStatusCode.BadRequest, "invalid-export" },
        { "\"mnemonic\"", HttpStatusCode.BadRequest, "invalid-export" },
        { "{}", HttpStatusCode.BadRequest, "invalid-recipient" },
        { """{"include":["mnemonic"]}""", HttpStatusCode.BadRequest, "invalid-recipient" },
        { """{"recipient":null,"include":["mnemonic"]}""", HttpStatusCode.BadRequest, "invalid-recipient" },
        { """{"recipient":42,"include":["mnemonic"]}""", HttpStatusCode.BadRequest, "invalid-recipient" },
        { """{"recipient":"age1zvkyg2lqzraa2lnjvqej32nkuu0ues2s82hzrye869xeexvn73equnujwq","include":["mnemonic"]}""", HttpStatusCode.BadRequest, "invalid-recipient" },
        { """{"recipient":"AGE1ZVKYG2LQZRAA2LNJVQEJ32NKUU0UES2S82HZRYE869XEEXVN73EQUNUJWJ","include":["mnemonic"]}""", HttpStatusCode.BadRequest, "invalid-recipient" },
        { """{"recipient":"age1qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqmthpv","include":["mnemonic"]}""", HttpStatusCode.BadRequest, "invalid-recipient" },
        { """{"recipient":"R"}""", HttpStatusCode.BadRequest, "invalid-export" },
        { """{"recipient":"R","include":[]}""", HttpStatusCode.BadRequest, "invalid-export" },
        { """{"recipient":"R","include":"mnemonic"}""", HttpStatusCode.BadRequest, "invalid-export" },
        { """{"recipient":"R","include":["mnemonic","mnemonic"]}""", HttpStatusCode.BadRequest, "invalid-export" },
        { """{"recipient":"R","include":["seed"]}""", HttpStatusCode.BadRequest, "invalid-export" },
        { """{"recipient":"R","include":[null]}""", HttpStatusCode.BadRequest, "invalid-export" },
        { """{"recipient":"R","include":[{"chain":"ethereum","index":0},{"chain":"ethereum","index":0}]}""", HttpStatusCode.BadRequest, "invalid-export" },
        { """{"recipient":"R","include":[{"index":0}]}""", HttpStatusCode.BadRequest, "invalid-export" },
        { """{"recipient":"R","include":[{"chain":7}]}""", HttpStatusCode.BadRequest, "invalid-export" },
        { """{"recipient":"R","include":[{"chain":"ethereum","index":0,"path":"m/0"}]}""", HttpStatusCode.BadRequest, "invalid-export" },
        { """{"recipient":"R","include":[{"chain":"dogecoin"}]}""", HttpStatusCode.BadRequest, "unknown-chain" },
        { """{"recipient":"R","include":[{"chain":"ethereum","format":"xprv"}]}""", HttpStatusCode.BadRequest, "invalid-export" },
        { """{"recipient":"R","include":[{"chain":"bitcoin","format":"xprv","index":0}]}""", HttpStatusCode.BadRequest, "invalid-export" },
        { """{"recipient":"R","include":[{"chain":"bitcoin","format":"wif"}]}""", HttpStatusCode.BadRequest, "invalid-export" },
        { """{"recipient":"R","include":[{"chain":"bitcoin","format":"xprv"},{"chain":"bitcoin","format":"xprv"}]}""", HttpStatusCode.BadRequest, "invalid-export" },
        { """{"recipient":"R","include":[{"chain":"ethereum","index":-1}]}""", HttpStatusCode.BadRequest, "invalid-index" },
        { """{"recipient":"R","include":[{"chain":"ethereum","index":2147483648}]}""", HttpStatusCode.BadRequest, "invalid-index" },
        { """{"recipient":"R","include":[{"chain":"ethereum","index":"0"}]}""", HttpStatusCode.BadRequest, "invalid-index" },
        { """{"recipient":"R","include":[{"chain":"ethereum","index":1.5}]}""", HttpStatusCode.BadRequest, "invalid-index" },
        { """{"recipient":"R","include":["mnemonic"],"passphrase":"x"}""", HttpStatusCode.BadRequest, "invalid-export" },
        { "{\"recipient\":\"R\",\"include\":[\"mnemonic\"" + string.Concat(Enumerable.Range(0, 40).Select(i => $$""",{"chain":"ethereum","index":{{i}}}""")) + "]}", HttpStatusCode.BadRequest, "invalid-export" },
        { """{"recipient":"R","include":["\ud800"]}""", HttpStatusCode.BadRequest, "invalid-json" },
    };

    [Theory]
    [MemberData(nameof(BadBodies))]
    public async Task Malformed_export_bodies_are_refused_with_a_stable_problem_type_and_export_nothing(string body, HttpStatusCode expected, string slug)
    {
        await using KeystoreServer server = await KeystoreServer.StartAsync(new Dictionary<string, string?> { ["Keystore:Export:PerAccountPerHour"] = "1" });
        const string valid = "age1zvkyg2lqzraa2lnjvqej32nkuu0ues2s82hzrye869xeexvn73equnujwj";
        var (status, problem, raw, response) = await SendAsync(server, server.SignedPost(ExportPath, body.Replace("\"R\"", $"\"{valid}\"", StringComparison.Ordinal)));
        Assert.True(status == expected, raw);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("urn:near-tee-keystore:problem:" + slug, problem["type"]!.GetValue<string>());
        Assert.Null(problem["armored"]);
        // A refused request does not spend the account's budget: the one export of the hour still works.
        var (okStatus, _, okRaw, _) = await SendAsync(server, server.SignedPost(ExportPath, Body(valid, "mnemonic")));
        Assert.True(okStatus == HttpStatusCode.OK, okRaw);
    }

    [Fact]
    public async Task Only_the_owner_with_a_valid_signature_may_export()
    {
        await using KeystoreServer server = await KeystoreServer.StartAsync();
        const string recipient = "age1zvkyg2lqzraa2lnjvqej32nkuu0ues2s82hzrye869xeexvn73equnujwj";
        string body = Body(recipient, "mnemonic");
        using var stranger = NSec.Cryptography.Key.Create(SignatureAlgorithm.Ed25519);

        async Task Expect(HttpRequestMessage request, HttpStatusCode expected, string slug)
        {
            var (status, problem, raw, _) = await SendAsync(server, request);
            Assert.True(status == expected, raw);
            Assert.Equal("urn:near-tee-keystore:problem:" + slug, problem["type"]!.GetValue<string>());
            Assert.DoesNotContain(AgeArmor.Begin, raw, StringComparison.Ordinal);
        }

        await Expect(new HttpRequestMessage(HttpMethod.Post, ExportPath) { Content = new StringContent(body, Encoding.UTF8, "application/json") },
            HttpStatusCode.Unauthorized, "missing-authorization");
        await Expect(server.SignedPost(ExportPath, body, key: stranger), HttpStatusCode.Forbidden, "not-account-owner");
        await Expect(server.SignedPost("/v1/accounts/bob.near/export", body), HttpStatusCode.Forbidden, "not-account-owner");
        await Expect(server.SignedPost("/v1/accounts/bob.near/export", body, account: "bob.near"), HttpStatusCode.Forbidden, "not-account-owner");
        await Expect(server.SignedPost(ExportPath, body, timestampMs: DateTimeOffset.UtcNow.AddHours(-1).ToUnixTimeMilliseconds()),
            HttpStatusCode.Unauthorized, "expired-authorization");
        // A signature over another body does not carry over.
        HttpRequestMessage swapped = server.SignedPost(ExportPath, body);
        swapped.Content = new StringContent(Body("age1qyqszqgpqyqszqgpqyqszqgpqyqszqgpqyqszqgpqyqszqgpqyqs3290gq", "mnemonic"), Encoding.UTF8, "application/json");
        await Expect(swapped, HttpStatusCode.Unauthorized, "bad-signature");
        byte[] nonce = RandomNumberGenerator.GetBytes(32);
        var (first, _, firstRaw, _) = await SendAsync(server, server.SignedPost(ExportPath, body, nonce: nonce));
        Assert.True(first == HttpStatusCode.OK, firstRaw);
        await Expect(server.SignedPost(ExportPath, body, nonce: nonce), HttpStatusCode.Unauthorized, "replayed-nonce");
        await Expect(server.SignedPost("/v1/accounts/Not_An_Account!/export", body), HttpStatusCode.BadRequest, "invalid-account");
        await Expect(new HttpRequestMessage(HttpMethod.Get, ExportPath), HttpStatusCode.MethodNotAllowed, "method-not-allowed");
        await Expect(server.SignedPost(ExportPath, new string(' ', 300_000) + body), HttpStatusCode.RequestEntityTooLarge, "payload-too-large");
    }

    [Fact]
    public async Task Exports_past_the_hourly_budget_get_429_with_Retry_After_and_the_refusal_is_audited()
    {
        var log = new CapturedLog();
        await using KeystoreServer server = await KeystoreServer.StartAsync(
            new Dictionary<string, string?> { ["Keystore:Export:PerAccountPerHour"] = "2" },
            builder => builder.Logging.AddProvider(log));
        string body = Body("age1zvkyg2lqzraa2lnjvqej32nkuu0ues2s82hzrye869xeexvn73equnujwj", Key("solana", 3));
        for (int i = 0; i < 2; i++)
        {
            var (ok, _, okRaw, _) = await SendAsync(server, server.SignedPost(ExportPath, body));
            Assert.True(ok == HttpStatusCode.OK, okRaw);
        }
        var (status, problem, raw, response) = await SendAsync(server, server.SignedPost(ExportPath, body));
        Assert.True(status == HttpStatusCode.TooManyRequests, raw);
        Assert.Equal("urn:near-tee-keystore:problem:export-rate-limited", problem["type"]!.GetValue<string>());
        TimeSpan retry = Assert.IsType<TimeSpan>(response.Headers.RetryAfter?.Delta);
        Assert.InRange(retry, TimeSpan.FromMinutes(59), TimeSpan.FromHours(1));
        Assert.Contains(log.Records, r => r.Text.Contains("Audit: refused export of solana/3", StringComparison.Ordinal) && r.Text.Contains("rate limit", StringComparison.Ordinal));
        Assert.Equal(2, log.Records.Count(r => r.Text.Contains("Audit: exported solana/3", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task A_policy_that_forbids_export_gets_403_its_reason_and_an_audit_line_and_nothing_is_derived()
    {
        var log = new CapturedLog();
        var policy = new RecordingPolicy(ExportVerdict.Deny("Exports of this account need 2 approvals."));
        await using KeystoreServer server = await KeystoreServer.StartAsync(null, builder =>
        {
            builder.Logging.AddProvider(log);
            builder.Services.AddSingleton<IExportPolicy>(policy);
        });
        const string recipient = "age1zvkyg2lqzraa2lnjvqej32nkuu0ues2s82hzrye869xeexvn73equnujwj";
        var (status, problem, raw, _) = await SendAsync(server, server.SignedPost(ExportPath, Body(recipient, "mnemonic", Key("ethereum", 4))));
        Assert.True(status == HttpStatusCode.Forbidden, raw);
        Assert.Equal("urn:near-tee-keystore:problem:policy-denied", problem["type"]!.GetValue<string>());
        Assert.Equal("account:export", problem["rule"]!.GetValue<string>());
        Assert.Equal("Exports of this account need 2 approvals.", problem["detail"]!.GetValue<string>());

        ExportContext seen = Assert.Single(policy.Seen);
        Assert.Equal(Account, seen.Account);
        Assert.Equal(server.OwnerPublicKey, seen.CallerPublicKey);
        Assert.Equal(recipient, seen.Recipient);
        Assert.Equal(["mnemonic", "ethereum/4"], seen.Contents);
        Assert.Contains(log.Records, r => r.Text.Contains("Audit: refused export of mnemonic,ethereum/4", StringComparison.Ordinal));
        Assert.DoesNotContain(log.Records, r => r.Text.Contains("Audit: exported", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("Keystore:Export:PerAccountPerHour", "0", "Keystore:Export:PerAccountPerHour must be between 1 and 1000")]
    [InlineData("Keystore:Export:AccountCapacity", "0", "Keystore:Export:AccountCapacity must be between 1 and 10000000")]
    [InlineData("Keystore:Export:PerAccountPerHuor", "2", "Keystore:Export:PerAccountPerHuor is not a known setting (did you mean Keystore:Export:PerAccountPerHour?)")]
    public async Task Bad_export_settings_stop_startup_naming_the_setting(string key, string value, string message)
    {
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() =>
            KeystoreServer.StartAsync(new Dictionary<string, string?> { [key] = value }));
        Assert.Contains(message, error.Message);
    }

    private sealed class RecordingPolicy(ExportVerdict verdict) : IExportPolicy
    {
        public List<ExportContext> Seen { get; } = [];

        public ValueTask<ExportVerdict> EvaluateAsync(ExportContext context, CancellationToken cancellationToken)
        {
            Seen.Add(context);
            return ValueTask.FromResult(verdict);
        }
    }
}
