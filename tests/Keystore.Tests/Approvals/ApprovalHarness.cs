using System.Net;
using System.Numerics;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Keystore.Tests.Support;
using NSec.Cryptography;

namespace Keystore.Tests.Approvals;

/// <summary>
/// A keystore whose agent's policy needs 2 of bob.near, carol.near and dave.near above 0.1 ETH, with those three (and
/// erin.near, named nowhere) as NEAR accounts whose full-access keys the test holds; every request is signed as a client would.
/// </summary>
public sealed class ApprovalHarness : IAsyncDisposable
{
    public const string Account = KeystoreServer.Owner;
    public const string Recipient = "0x742d35Cc6634C0532925a3b844Bc454e4438f44e";
    public static readonly BigInteger Milli = BigInteger.Pow(10, 15);
    public static readonly string[] Approvers = ["bob.near", "carol.near", "dave.near"];

    public static string Policy(string daily = "1000000000000000000", string extra = "") => $$$$"""
        {"kind":"agent","version":1,"rules":[{"id":"payments","chains":["ethereum"],"operations":["transaction"],
         "limits":{"eth:1":{"daily":"{{{{daily}}}}"}}{{{{extra}}}},
         "approvals":{"required":2,"approvers":["bob.near","carol.near","dave.near"],"above":{"eth:1":"100000000000000000"}}}]}
        """;

    private readonly Dictionary<string, Key> _people;

    private ApprovalHarness(KeystoreServer server, Key agent, Dictionary<string, Key> people, ManualClock? clock)
    {
        Server = server;
        AgentKey = agent;
        _people = people;
        Clock = clock;
    }

    public KeystoreServer Server { get; }

    public Key AgentKey { get; }

    public ManualClock? Clock { get; }

    public Key KeyOf(string account) => account == Account ? Server.OwnerKey : _people[account];

    /// <summary>The approvers' keys, made once and given to every instance sharing a database.</summary>
    public static Dictionary<string, Key> NewPeople() =>
        new[] { "bob.near", "carol.near", "dave.near", "erin.near" }.ToDictionary(a => a, _ => Key.Create(SignatureAlgorithm.Ed25519));

    public static Dictionary<string, string?> PeopleSettings(Dictionary<string, Key> people) =>
        people.ToDictionary(p => $"Keystore:Owners:{p.Key}:0", p => (string?)PublicKeyOf(p.Value));

    public static async Task<ApprovalHarness> StartAsync(string? policy = null, IDictionary<string, string?>? settings = null, ManualClock? clock = null,
        Dictionary<string, Key>? people = null)
    {
        people ??= NewPeople();
        var config = PeopleSettings(people);
        foreach ((string k, string? v) in settings ?? new Dictionary<string, string?>()) config[k] = v;
        KeystoreServer server = await KeystoreServer.StartAsync(config,
            clock is null ? null : b => b.Services.AddSingleton<TimeProvider>(clock));
        return await StartOnAsync(server, people, clock, policy);
    }

    /// <summary>Registers the agent on a keystore the test started itself (with its own services); it must name <paramref name="people"/> as owners.</summary>
    public static async Task<ApprovalHarness> StartOnAsync(KeystoreServer server, Dictionary<string, Key> people, ManualClock? clock = null, string? policy = null)
    {
        var agent = Key.Create(SignatureAlgorithm.Ed25519);
        var harness = new ApprovalHarness(server, agent, people, clock);
        string body = new JsonObject
        {
            ["publicKey"] = PublicKeyOf(agent),
            ["name"] = "payments-bot",
            ["expiresAt"] = (clock?.Now ?? DateTimeOffset.UtcNow).AddDays(30).ToString("yyyy-MM-ddTHH:mm:ssZ"),
            ["policy"] = JsonNode.Parse(policy ?? Policy()),
        }.ToJsonString();
        (HttpStatusCode status, JsonNode? answer) = await harness.SendAsync(HttpMethod.Post, $"/v1/accounts/{Account}/agents", body, Account, server.OwnerKey);
        Assert.True(status == HttpStatusCode.Created, answer?.ToJsonString());
        return harness;
    }

    /// <summary>Joins an agent already registered in a shared database (a second instance of the fleet).</summary>
    public static async Task<ApprovalHarness> JoinAsync(ApprovalHarness first, IDictionary<string, string?> settings, Dictionary<string, Key> people,
        ManualClock? clock = null)
    {
        var config = PeopleSettings(people);
        foreach ((string k, string? v) in settings) config[k] = v;
        KeystoreServer server = await KeystoreServer.StartAsync(config, clock is null ? null : b => b.Services.AddSingleton<TimeProvider>(clock));
        return new ApprovalHarness(server, first.AgentKey, people, clock);
    }

    public static string PublicKeyOf(Key key) => new Keystore.Near.Keys.Ed25519PublicKey(key.PublicKey.Export(KeyBlobFormat.RawPublicKey)).ToString();

    /// <summary>The fee every <see cref="Transfer"/> can pay, spend of ether beside its value: 21,000 gas × 20 gwei.</summary>
    public static readonly BigInteger Fee = 21_000 * BigInteger.Pow(10, 9) * 20;

    public static string Transfer(BigInteger wei, int nonce) =>
        $$$"""{"transaction":{"type":"0x2","chainId":"0x1","nonce":"{{{nonce}}}","to":"{{{Recipient}}}","value":"{{{wei}}}","gas":"21000","maxFeePerGas":"0x4a817c800","maxPriorityFeePerGas":"0x3b9aca00","data":"0x"}}""";

    public static string HashOf(string body) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(body)));

    public static string Vote(string hash) => new JsonObject { ["payloadHash"] = hash }.ToJsonString();

    public async Task<(HttpStatusCode Status, JsonNode? Body)> SendAsync(HttpMethod method, string path, string? body, string account, Key key)
    {
        long? timestamp = Clock?.Now.ToUnixTimeMilliseconds();
        using var request = new HttpRequestMessage(method, path);
        if (body is not null) request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        request.Headers.TryAddWithoutValidation("Authorization", "NEAR " + KeystoreServer.Credential(method.Method, path, Encoding.UTF8.GetBytes(body ?? ""), account, key, timestamp));
        using HttpResponseMessage response = await Server.Client.SendAsync(request);
        string text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? null : JsonNode.Parse(text));
    }

    /// <summary>The agent asks to sign <paramref name="body"/> on Ethereum.</summary>
    public Task<(HttpStatusCode Status, JsonNode? Body)> AgentSignsAsync(string body) =>
        SendAsync(HttpMethod.Post, $"/v1/accounts/{Account}/sign/ethereum", body, Account, AgentKey);

    /// <summary>The agent asks for <paramref name="body"/>, which must wait for approvals; returns the request id.</summary>
    public async Task<string> OpenAsync(string body)
    {
        (HttpStatusCode status, JsonNode? answer) = await AgentSignsAsync(body);
        Assert.True(status == HttpStatusCode.Accepted, $"{status} {answer?.ToJsonString()}");
        Assert.Equal("pending", answer!["state"]!.GetValue<string>());
        return answer["id"]!.GetValue<string>();
    }

    public Task<(HttpStatusCode Status, JsonNode? Body)> VoteAsync(string id, string approver, string hash, bool approve = true) =>
        SendAsync(HttpMethod.Post, $"/v1/accounts/{Account}/approvals/{id}/{(approve ? "approve" : "reject")}", Vote(hash), approver, KeyOf(approver));

    public Task<(HttpStatusCode Status, JsonNode? Body)> GetAsync(string id, string account, Key? key = null) =>
        SendAsync(HttpMethod.Get, $"/v1/accounts/{Account}/approvals/{id}", null, account, key ?? KeyOf(account));

    /// <summary>The kinds of the account's audit entries, in order, with their details.</summary>
    public async Task<List<(string Kind, string? Detail, string? PayloadHash, string? Rule)>> AuditAsync()
    {
        (HttpStatusCode status, JsonNode? answer) = await SendAsync(HttpMethod.Get, $"/v1/accounts/{Account}/audit?limit=1000", null, Account, Server.OwnerKey);
        Assert.Equal(HttpStatusCode.OK, status);
        return answer!["entries"]!.AsArray().Select(e => e!["entry"]!).Select(e => (
            e["kind"]!.GetValue<string>(), e["detail"]?.GetValue<string>(), e["payloadHash"]?.GetValue<string>(), e["rule"]?.GetValue<string>())).ToList();
    }

    public async ValueTask DisposeAsync()
    {
        await Server.DisposeAsync();
        AgentKey.Dispose();
    }

    public static void DisposePeople(Dictionary<string, Key> people)
    {
        foreach (Key key in people.Values) key.Dispose();
    }
}
