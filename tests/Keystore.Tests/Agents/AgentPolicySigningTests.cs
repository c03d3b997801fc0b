using System.Net;
using System.Numerics;
using System.Text;
using System.Text.Json.Nodes;
using Keystore.Tests.Support;
using NSec.Cryptography;

namespace Keystore.Tests.Agents;

/// <summary>
/// The README's worked example, end to end through HTTP with the real policy engine as the signing gate: an agent
/// with a daily limit of 0.5 ETH signs, reaches the limit exactly (values and fees), is refused past it with the rule
/// named, and a dry run shows the window totals. Every other check of the engine refuses with its own rule, and nothing is signed.
/// </summary>
public sealed class AgentPolicySigningTests
{
    private const string Account = KeystoreServer.Owner;
    private const string Recipient = "0x742d35Cc6634C0532925a3b844Bc454e4438f44e";
    private const string Dead = "0x000000000000000000000000000000000000dEaD";
    private static readonly BigInteger Milli = BigInteger.Pow(10, 15);
    /// <summary>The most each <see cref="Transfer"/> can pay in gas, counted with its value: 21,000 gas × 1 gwei = 0.000021 ETH.</summary>
    private static readonly BigInteger Fee = 21_000 * BigInteger.Pow(10, 9);

    private const string DailyHalfEth = """
        {"kind":"agent","version":1,"rules":[{"id":"payments","chains":["ethereum"],"operations":["transaction"],
         "destinations":{"deny":["0x000000000000000000000000000000000000dEaD"]},
         "limits":{"eth:1":{"perTransaction":"250000000000000000","daily":"500000000000000000"}},"requestsPerMinute":10}]}
        """;

    private static string PublicKeyOf(Key key) => new Keystore.Near.Keys.Ed25519PublicKey(key.PublicKey.Export(KeyBlobFormat.RawPublicKey)).ToString();

    private static HttpRequestMessage Signed(HttpMethod method, string path, string? body, Key key) =>
        NearRequests.Request(method, path, body, NearRequests.Credential(method.Method, path, Encoding.UTF8.GetBytes(body ?? ""), Account, key));

    private static async Task<(HttpStatusCode Status, JsonNode? Body)> SendAsync(HttpClient client, HttpRequestMessage request)
    {
        using (request)
        {
            using HttpResponseMessage response = await client.SendAsync(request);
            string text = await response.Content.ReadAsStringAsync();
            return (response.StatusCode, text.Length == 0 ? null : JsonNode.Parse(text));
        }
    }

    private static string Transfer(BigInteger wei, int nonce, string to = Recipient, string data = "0x") =>
        $$$"""{"transaction":{"type":"0x2","chainId":"0x1","nonce":"{{{nonce}}}","to":"{{{to}}}","value":"{{{wei}}}","gas":"{{{(data == "0x" ? 21_000 : 60_000)}}}","maxFeePerGas":"1000000000","maxPriorityFeePerGas":"1000000000","data":"{{{data}}}"}}""";

    private static async Task<Key> RegisterAgentAsync(KeystoreServer server, string policy)
    {
        var agent = Key.Create(SignatureAlgorithm.Ed25519);
        string body = new JsonObject
        {
            ["publicKey"] = PublicKeyOf(agent),
            ["name"] = "payments-bot",
            ["expiresAt"] = DateTimeOffset.UtcNow.AddDays(30).ToString("yyyy-MM-ddTHH:mm:ssZ"),
            ["policy"] = JsonNode.Parse(policy),
        }.ToJsonString();
        (HttpStatusCode status, JsonNode? answer) = await SendAsync(server.Client, Signed(HttpMethod.Post, $"/v1/accounts/{Account}/agents", body, server.OwnerKey));
        Assert.True(status == HttpStatusCode.Created, answer?.ToJsonString());
        return agent;
    }

    [Fact]
    public async Task An_agent_with_a_daily_limit_of_half_an_ether_signs_up_to_it_exactly_and_is_refused_past_it()
    {
        await using KeystoreServer server = await KeystoreServer.StartAsync();
        using Key agent = await RegisterAgentAsync(server, DailyHalfEth);
        string sign = $"/v1/accounts/{Account}/sign/ethereum";

        for (int i = 0; i < 2; i++)
        {
            (HttpStatusCode ok, JsonNode? signed) = await SendAsync(server.Client, Signed(HttpMethod.Post, sign, Transfer(200 * Milli, i), agent));
            Assert.True(ok == HttpStatusCode.OK, signed?.ToJsonString());
            Assert.StartsWith("0x02", signed!["signedTransaction"]!.GetValue<string>());
        }

        (HttpStatusCode refused, JsonNode? problem) = await SendAsync(server.Client, Signed(HttpMethod.Post, sign, Transfer(200 * Milli, 2), agent));
        Assert.Equal(HttpStatusCode.Forbidden, refused);
        Assert.EndsWith(":policy-denied", problem!["type"]!.GetValue<string>());
        Assert.Equal("window:eth:1:daily", problem["rule"]!.GetValue<string>());
        Assert.Null(problem["signedTransaction"]);

        // Each transfer spends its value and its fee: two of 0.2 ETH leave 0.5 − 2 × 0.200021 = 0.099958, room for one more of
        // 0.099937 ETH and its fee.
        BigInteger last = 100 * Milli - 3 * Fee;
        (HttpStatusCode dry, JsonNode? decision) = await SendAsync(server.Client, Signed(HttpMethod.Post, sign + "?dryRun=true", Transfer(last, 2), agent));
        Assert.Equal(HttpStatusCode.OK, dry);
        Assert.Equal("allow", decision!["decision"]!.GetValue<string>());
        JsonNode daily = decision["windows"]!.AsArray().Single(w => w!["rule"]!.GetValue<string>() == "window:eth:1:daily")!;
        Assert.Equal((400 * Milli + 2 * Fee).ToString(), daily["current"]!.GetValue<string>());
        Assert.Equal((500 * Milli).ToString(), daily["after"]!.GetValue<string>());

        // Exactly the limit passes; one wei more does not.
        (HttpStatusCode past, JsonNode? pastProblem) = await SendAsync(server.Client, Signed(HttpMethod.Post, sign, Transfer(last + 1, 3), agent));
        Assert.Equal(HttpStatusCode.Forbidden, past);
        Assert.Equal("window:eth:1:daily", pastProblem!["rule"]!.GetValue<string>());
        (HttpStatusCode exact, _) = await SendAsync(server.Client, Signed(HttpMethod.Post, sign, Transfer(last, 3), agent));
        Assert.Equal(HttpStatusCode.OK, exact);
        (HttpStatusCode over, JsonNode? overProblem) = await SendAsync(server.Client, Signed(HttpMethod.Post, sign, Transfer(1, 4), agent));
        Assert.Equal(HttpStatusCode.Forbidden, over);
        Assert.Equal("window:eth:1:daily", overProblem!["rule"]!.GetValue<string>());

        // The log names what each request moved, per asset, decoded from the transaction (value and fee): signed and refused alike.
        (HttpStatusCode read, JsonNode? audit) = await SendAsync(server.Client, Signed(HttpMethod.Get, $"/v1/accounts/{Account}/audit?limit=100", null, server.OwnerKey));
        Assert.Equal(HttpStatusCode.OK, read);
        string[] amounts = audit!["entries"]!.AsArray().Select(e => e!["entry"]!).Where(e => e["agent"] is not null && e["kind"]!.GetValue<string>() is "signed" or "denied")
            .Select(e => e["kind"]!.GetValue<string>() + " " + e["amounts"]!.ToJsonString()).ToArray();
        string Moved(BigInteger wei) => $$"""[{"asset":"eth:1","amount":"{{wei + Fee}}"}]""";
        Assert.Equal(
        [
            "signed " + Moved(200 * Milli), "signed " + Moved(200 * Milli), "denied " + Moved(200 * Milli), "denied " + Moved(last + 1), "signed " + Moved(last), "denied " + Moved(1),
        ], amounts);
    }

    [Fact]
    public async Task Every_other_check_of_the_policy_refuses_with_its_own_rule_and_signs_nothing()
    {
        await using KeystoreServer server = await KeystoreServer.StartAsync();
        using Key agent = await RegisterAgentAsync(server, DailyHalfEth);
        string erc20Transfer = "0xa9059cbb" + Recipient[2..].ToLowerInvariant().PadLeft(64, '0') + new BigInteger(5).ToString("x").PadLeft(64, '0');

        (string Path, string Body, string Rule)[] cases =
        [
            ($"/v1/accounts/{Account}/sign/ethereum", Transfer(300 * Milli, 0), "per-transaction"),
            ($"/v1/accounts/{Account}/sign/ethereum", Transfer(1, 0, Dead), "destinations.deny"),
            ($"/v1/accounts/{Account}/sign/ethereum", Transfer(0, 0, "0xA0b86991c6218b36c1d19D4a2e9Eb0cE3606eB48", erc20Transfer), "assets"),
            ($"/v1/accounts/{Account}/sign/ethereum", """{"message":"hello"}""", "operations"),
            ($"/v1/accounts/{Account}/sign/solana", """{"message":"AQABAgECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAQEBAAA="}""", "chains"),
        ];
        foreach ((string path, string body, string rule) in cases)
        {
            (HttpStatusCode status, JsonNode? problem) = await SendAsync(server.Client, Signed(HttpMethod.Post, path, body, agent));
            Assert.True(status == HttpStatusCode.Forbidden, $"{rule}: {status} {problem?.ToJsonString()}");
            Assert.Equal(rule, problem!["rule"]!.GetValue<string>());
        }

        // The owner is not under the agent's policy.
        (HttpStatusCode owner, _) = await SendAsync(server.Client, Signed(HttpMethod.Post, $"/v1/accounts/{Account}/sign/ethereum", Transfer(300 * Milli, 0), server.OwnerKey));
        Assert.Equal(HttpStatusCode.OK, owner);
    }

    [Fact]
    public async Task A_policy_the_engine_cannot_read_is_refused_when_stored_naming_the_field()
    {
        await using KeystoreServer server = await KeystoreServer.StartAsync();
        using var agent = Key.Create(SignatureAlgorithm.Ed25519);
        string body = new JsonObject
        {
            ["publicKey"] = PublicKeyOf(agent),
            ["name"] = "bot",
            ["expiresAt"] = DateTimeOffset.UtcNow.AddDays(1).ToString("yyyy-MM-ddTHH:mm:ssZ"),
            ["policy"] = JsonNode.Parse("""{"kind":"agent","version":1,"rules":[{"chains":["ethereum"],"operations":["transaction"],"limits":{"eth:1":{"daily":"-1"}}}]}"""),
        }.ToJsonString();
        (HttpStatusCode status, JsonNode? problem) = await SendAsync(server.Client, Signed(HttpMethod.Post, $"/v1/accounts/{Account}/agents", body, server.OwnerKey));
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.EndsWith(":invalid-policy", problem!["type"]!.GetValue<string>());
        Assert.Contains("daily", problem["detail"]!.GetValue<string>());
    }
}
