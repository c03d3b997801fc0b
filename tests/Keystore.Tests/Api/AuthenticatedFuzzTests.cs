using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Keystore.OpenApi;
using Keystore.Tests.Approvals;
using Keystore.TestSupport.Node;
using Keystore.TestSupport.State;
using NSec.Cryptography;
using Xunit.Abstractions;
using static Keystore.Tests.Approvals.ApprovalHarness;

namespace Keystore.Tests.Api;

/// <summary>
/// Mutation fuzzing behind the credential check. <see cref="FuzzTests"/> sends credentials that never verify, so its
/// bodies stop at authentication; here every route of <see cref="RouteCatalog"/> gets requests signed with valid
/// credentials (the owner's, an agent's, an approver's), whose bodies are valid examples with one to three hostile
/// edits, so they reach the validators, the policy, the stores and the chains' parsers. Fixed seed (the order the
/// parallel requests finish in still varies); a failure prints the request. What must hold: no 5xx, every refusal a
/// project problem, and every signature handed out is exactly one <c>signed</c> audit entry (nothing signed on a
/// refusal, nothing given out unlogged).
/// </summary>
public sealed class AuthenticatedFuzzTests(ITestOutputHelper output)
{
    private const int Seed = 20261203;
    private const int Cases = 2500;

    /// <summary>The agent the fuzz itself registers, changes and revokes (the seed of <c>POST …/agents</c>).</summary>
    private static readonly Key OtherAgent = Key.Create(SignatureAlgorithm.Ed25519);

    private static readonly string[] HostileStrings =
    [
        "", " ", "0x", "0x0", "0xzz", "-1", "0", "1e400", "ed25519:", "ed25519:11111111111111111111111111111111", "é", "\0", "ALL", "NONE|ANYONECANPAY",
        "2027-06-30T00:00:00Z", "9999-12-31T23:59:59Z", "0001-01-01T00:00:00Z", "https://127.0.0.1/", "https://127.0.0.1:1/hook", "age1", "mnemonic",
        "ethereum", "bitcoin", "solana", "export", "eth:1", "signed", "cHNidP8=", "AQAB", "/3NvbGFuYSBvZmZjaGFpbgE", "base58", "base64",
        "0xffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff", "115792089237316195423570985008687907853269984665640564039457584007913129639936",
        new string('a', 5000), "../../etc/passwd", "%00", "🙂",
    ];

    private static readonly string[] HostileNumbers = ["0", "-1", "1.5", "-0", "1e308", "9007199254740993", "18446744073709551616", "1" + new string('0', 400)];

    private static readonly string[] Keys =
    [
        "transaction", "message", "typedData", "psbt", "index", "encoding", "allowedSighashTypes", "finalize", "offchainMessage", "items", "chainId",
        "value", "to", "data", "gas", "nonce", "type", "publicKey", "name", "expiresAt", "policy", "rules", "frozen", "kind", "version", "limits",
        "daily", "approvals", "required", "approvers", "recipient", "include", "chain", "format", "url", "events", "payloadHash", "extra", "__proto__",
    ];

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task Signed_mutations_of_valid_bodies_on_every_route_get_no_5xx_and_every_signature_handed_out_is_logged_once(string store)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Keystore:RateLimit:PermitsPerSecond"] = "1000000",
            ["Keystore:RateLimit:Burst"] = "1000000",
            ["Keystore:RateLimit:MaxConcurrent"] = "64",
            // Webhooks the fuzz stores point at a closed loopback port: no name lookup, no delivery leaves the machine.
            ["Keystore:Webhooks:AllowInsecureLoopback"] = "true",
        };
        if (store == "postgres")
        {
            settings["Keystore:State:Provider"] = "postgres";
            settings["Keystore:State:ConnectionString"] = await TestPostgres.CreateDatabaseAsync();
        }
        Dictionary<string, Key> people = NewPeople();
        try
        {
            await FuzzAsync(settings, people, twoInstances: store == "postgres");
        }
        finally
        {
            DisposePeople(people);
        }
    }

    private async Task FuzzAsync(Dictionary<string, string?> settings, Dictionary<string, Key> people, bool twoInstances)
    {
        await using ApprovalHarness h = await StartAsync(settings: settings, people: people);
        // On PostgreSQL, a fleet: every request goes to one of two instances sharing the database.
        await using ApprovalHarness? second = twoInstances ? await JoinAsync(h, settings, people) : null;
        HttpClient[] instances = second is null ? [h.Server.Client] : [h.Server.Client, second.Server.Client];
        string agent = PublicKeyOf(h.AgentKey);
        Dictionary<string, List<string>> seeds = await SeedsAsync(h);
        // Approval requests opened so far (by the agent's fuzzed requests too), with the hash of their body: votes name them.
        var open = new ConcurrentBag<(string Id, string Hash)>();
        string first = Transfer(200 * Milli, 0);
        open.Add((await h.OpenAsync(first), HashOf(first)));

        var routes = RouteCatalog.Routes.Keys.Select(k => (Method: k[..k.IndexOf(' ', StringComparison.Ordinal)], Pattern: k[(k.IndexOf(' ', StringComparison.Ordinal) + 1)..])).ToList();
        // A third of the requests sign (the routes where a wrong answer costs most), the rest spread over every route.
        var signing = routes.Where(x => x.Pattern.Contains("/sign", StringComparison.Ordinal)).ToList();
        string other = PublicKeyOf(OtherAgent);
        var r = new Random(Seed);
        var failures = new ConcurrentQueue<string>();
        long handedOut = 0;
        var signedApprovals = new ConcurrentDictionary<string, bool>(StringComparer.Ordinal);
        var statuses = new ConcurrentDictionary<int, int>();
        var problems = new ConcurrentDictionary<string, int>();

        await Parallel.ForEachAsync(Enumerable.Range(0, Cases), new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (_, ct) =>
        {
            // Generated as the run goes, so votes can name the approval requests the fuzzed agent requests opened.
            Case c;
            lock (r)
                c = Generate(r, r.Next(3) == 0 ? signing[r.Next(signing.Count)] : routes[r.Next(routes.Count)], seeds, agent, other, open, h);
            using var request = new HttpRequestMessage(new HttpMethod(c.Method), c.Path);
            if (c.Body is not null)
                request.Content = new ByteArrayContent(c.Body) { Headers = { { "Content-Type", "application/json" } } };
            request.Headers.TryAddWithoutValidation("Authorization", "NEAR " + Keystore.Tests.Support.KeystoreServer.Credential(c.Method, c.Path, c.Body ?? [], c.Signer, c.Key));
            if (c.IdempotencyKey is not null)
                request.Headers.TryAddWithoutValidation("Idempotency-Key", c.IdempotencyKey);
            using HttpResponseMessage response = await instances[c.Instance % instances.Length].SendAsync(request, ct);
            string raw = await response.Content.ReadAsStringAsync(ct);
            int status = (int)response.StatusCode;
            statuses.AddOrUpdate(status, 1, (_, n) => n + 1);
            string what = $"{c.Method} {c.Path} as {c.Signer} [{(c.Body is null ? "" : Encoding.UTF8.GetString(c.Body[..Math.Min(c.Body.Length, 300)]))}] → {status} {raw[..Math.Min(raw.Length, 300)]}";
            if (status >= 500)
                failures.Enqueue("5xx: " + what);
            if (status >= 400)
            {
                const string Prefix = "urn:near-tee-keystore:problem:";
                if (response.Content.Headers.ContentType?.MediaType != "application/problem+json")
                    failures.Enqueue("not problem+json: " + what);
                else if (JsonNode.Parse(raw)?["type"]?.GetValue<string>() is not { } type || !type.StartsWith(Prefix, StringComparison.Ordinal))
                    failures.Enqueue("foreign problem type: " + what);
                else
                    problems.AddOrUpdate($"{status} {type[Prefix.Length..]}", 1, (_, n) => n + 1);
                return;
            }
            JsonNode? answer = raw.Length == 0 ? null : JsonNode.Parse(raw);
            if (status == 202 && answer?["id"]?.GetValue<string>() is { } id && c.Body is not null)
                open.Add((id, Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(c.Body))));
            // Signatures for the account under test; an approver is an owner of its own account too, and what it signs
            // there is logged there.
            if (status != 200 || response.Headers.Contains("Idempotent-Replayed") || !c.Path.StartsWith($"/v1/accounts/{Account}/", StringComparison.Ordinal))
                return;
            // An approval request is signed once, by the vote that reaches m; the same vote again answers the request as it is
            // (signed, then), so approval signatures are counted by request.
            if (c.Pattern.EndsWith("/approve", StringComparison.Ordinal) && answer?["state"]?.GetValue<string>() == "signed")
                signedApprovals.TryAdd(answer["id"]!.GetValue<string>(), true);
            long signatures = c.Pattern switch
            {
                "/v1/accounts/{account}/sign/{chain}" when answer?["dryRun"] is null => 1,
                "/v1/accounts/{account}/sign-batch/{chain}" => answer!["results"]!.AsArray().Count(i => i!["result"] is not null),
                _ => 0,
            };
            Interlocked.Add(ref handedOut, signatures);
        });

        Assert.True(failures.IsEmpty, $"{failures.Count} of {Cases} failed:\n" + string.Join("\n", failures.Take(15)));
        // The run reached past the validators: some requests were signed, some refused by a policy or a state, many refused as input.
        string spread = string.Join(", ", statuses.OrderBy(s => s.Key).Select(s => $"{s.Key}: {s.Value}"));
        output.WriteLine($"{handedOut} signatures handed out and {signedApprovals.Count} approval requests signed; statuses {spread}");
        output.WriteLine(string.Join("\n", problems.OrderByDescending(p => p.Value).Select(p => $"{p.Value,5} {p.Key}")));
        Assert.True(handedOut > 20, $"only {handedOut} signatures handed out, {signedApprovals.Count} approval requests signed; statuses {spread}");
        Assert.True(statuses.GetValueOrDefault(200) > 200 && statuses.GetValueOrDefault(400) > 200 && statuses.GetValueOrDefault(403) > 0, spread);

        // Every signature handed out is one `signed` entry of the account's audit log, and there is no other.
        (HttpStatusCode unfreeze, _) = await h.SendAsync(HttpMethod.Put, $"/v1/accounts/{Account}/policy", """{"frozen":false}""", Account, h.Server.OwnerKey);
        Assert.Equal(HttpStatusCode.OK, unfreeze);
        Assert.Equal(handedOut + signedApprovals.Count, await SignedEntriesAsync(h));

        // And the keystore still signs.
        (HttpStatusCode after, JsonNode? signed) = await h.SendAsync(HttpMethod.Post, $"/v1/accounts/{Account}/sign/ethereum", """{"message":"still up"}""", Account, h.Server.OwnerKey);
        Assert.True(after == HttpStatusCode.OK, signed?.ToJsonString());
    }

    private sealed record Case(string Method, string Pattern, string Path, byte[]? Body, string Signer, Key Key, string? IdempotencyKey, int Instance);

    private static Case Generate(Random r, (string Method, string Pattern) route, Dictionary<string, List<string>> seeds, string agent, string other,
        ConcurrentBag<(string Id, string Hash)> open, ApprovalHarness h)
    {
        string chain = r.Next(10) == 0 ? Pick(r, ["dogecoin", "ETHEREUM", "ethereum%2F..", "é"]) : Pick(r, ["ethereum", "ethereum", "bitcoin", "solana"]);
        (string Id, string Hash) approval = r.Next(8) == 0 ? ("AAAAAAAAAAAAAAAAAAAAAA", new string('0', 64)) : Pick(r, open.ToArray());
        string path = route.Pattern
            .Replace("{account}", r.Next(20) == 0 ? Pick(r, ["bob.near", "ALICE.near", "alice..near", "%2e%2e"]) : Account, StringComparison.Ordinal)
            .Replace("{chain}", chain, StringComparison.Ordinal)
            .Replace("{publicKey}", AgentInPath(r, route.Method, agent, other), StringComparison.Ordinal)
            .Replace("{id}", approval.Id, StringComparison.Ordinal);
        Assert.DoesNotContain("{", path, StringComparison.Ordinal);
        path += Query(r, route.Pattern);

        // Votes come mostly from the approvers (each signs as itself), everything else mostly from the owner; an agent on
        // an owner's route must get 403, and so must an approver anywhere but on a request it was named for.
        bool vote = route.Pattern.EndsWith("/approve", StringComparison.Ordinal) || route.Pattern.EndsWith("/reject", StringComparison.Ordinal);
        int who = r.Next(20);
        (string signer, Key key) = vote
            ? who switch
            {
                < 6 => ("bob.near", h.KeyOf("bob.near")),
                < 12 => ("carol.near", h.KeyOf("carol.near")),
                < 16 => ("dave.near", h.KeyOf("dave.near")),
                < 18 => (Account, h.Server.OwnerKey),
                _ => (Account, h.AgentKey),
            }
            : who switch
            {
                < 15 => (Account, h.Server.OwnerKey),
                < 19 => (Account, h.AgentKey),
                _ => ("bob.near", h.KeyOf("bob.near")),
            };

        byte[]? body = null;
        if (route.Method is "POST" or "PUT")
        {
            string seedKey = route.Pattern.EndsWith("/sign/{chain}", StringComparison.Ordinal) || route.Pattern.EndsWith("/sign-batch/{chain}", StringComparison.Ordinal)
                ? $"{route.Pattern} {(seeds.ContainsKey($"{route.Pattern} {chain}") ? chain : "ethereum")}"
                : route.Pattern;
            string seed = route.Pattern.EndsWith("/approve", StringComparison.Ordinal) || route.Pattern.EndsWith("/reject", StringComparison.Ordinal)
                ? Vote(approval.Hash)
                : seeds.TryGetValue(seedKey, out List<string>? list) ? Pick(r, list.ToArray()) : "";
            body = Encoding.UTF8.GetBytes(r.Next(5) == 0 ? seed : Mutate(r, seed));
            // The agent's large transfers open approval requests, which the votes then name.
            if (key == h.AgentKey && chain == "ethereum" && route.Pattern.EndsWith("/sign/{chain}", StringComparison.Ordinal) && r.Next(3) == 0)
                body = Encoding.UTF8.GetBytes(Transfer((150 + r.Next(100)) * Milli, r.Next(1000)));
        }
        else if (r.Next(30) == 0)
        {
            body = Encoding.UTF8.GetBytes("{}"); // a body where none is taken
        }

        string? idempotency = route.Pattern.Contains("/sign", StringComparison.Ordinal) && r.Next(6) == 0
            ? Pick(r, ["fuzz-1", "fuzz-2", "k" + r.Next(1000), "", new string('k', 300), "%C3%BC", "a b", "a\tb"])
            : null;
        return new Case(route.Method, route.Pattern, path, body, signer, key, idempotency, r.Next(2));
    }

    /// <summary>
    /// The agent a route names: mostly the second agent the fuzz registers (<see cref="OtherAgent"/>), so revoking or
    /// rewriting it does not end the run's agent requests; the fixture's agent is read and, rarely, changed, never revoked.
    /// </summary>
    private static string AgentInPath(Random r, string method, string agent, string other) => r.Next(10) switch
    {
        < 3 => Pick(r, ["ed25519:11111111111111111111111111111111", "ed25519:", "x", "ed25519:" + new string('z', 60)]),
        < 5 when method == "GET" || method == "PUT" && r.Next(4) == 0 => agent,
        _ => other,
    };

    private static string Query(Random r, string pattern)
    {
        if (r.Next(3) != 0) return "";
        if (pattern.Contains("/sign/", StringComparison.Ordinal))
            return Pick(r, ["?dryRun=true", "?dryRun=false", "?dryRun=yes", "?dryRun=true&dryRun=false", "?index=1"]);
        if (pattern.EndsWith("/approvals", StringComparison.Ordinal) || pattern.EndsWith("/audit", StringComparison.Ordinal))
            return Pick(r, ["?limit=1", "?limit=0", "?limit=-1", "?limit=99999999999", "?cursor=x", "?after=-5", "?after=1&limit=2", "?agent=x", "?from=2026-01-01T00:00:00Z&to=2025-01-01T00:00:00Z", "?from=garbage"]);
        if (pattern.Contains("/keys/", StringComparison.Ordinal))
            return Pick(r, ["?index=0", "?index=-1", "?index=2147483648", "?index=1&index=2", "?index=%ED%A0%80"]);
        return Pick(r, ["?x=1", "?index=0"]);
    }

    /// <summary>One to three edits of a valid JSON text: a node replaced, removed or added, a type swapped; or a text-level break.</summary>
    private static string Mutate(Random r, string json)
    {
        if (json.Length == 0 || r.Next(6) == 0)
        {
            return r.Next(7) switch
            {
                0 => json[..r.Next(json.Length + 1)],                                              // truncated
                1 => json.Length > 1 && json[0] == '{' ? "{\"x\":\"\\ud800\"," + json[1..] : "\"\\udfff\"", // a lone surrogate
                2 => json.Length > 1 && json[0] == '{' ? "{\"name\":1,\"name\":2," + json[1..] : "[1,1]",    // a member named twice
                3 => new string('[', 5000) + new string(']', 5000),                                 // deeper than any reader allows
                4 => "\uFEFF" + json,                                                                // a byte-order mark
                5 => json + "}garbage",
                _ => Pick(r, ["null", "[]", "0", "\"\"", "{}", "true"]),
            };
        }
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(json);
        }
        catch (System.Text.Json.JsonException)
        {
            return json;
        }
        if (root is null) return json;
        int edits = r.Next(1, 4);
        for (int e = 0; e < edits; e++)
        {
            var nodes = new List<JsonNode>();
            Collect(root, nodes);
            JsonNode target = Pick(r, nodes.ToArray());
            switch (r.Next(4))
            {
                case 0 when target.Parent is JsonObject parent:
                    parent.Remove(target.GetPropertyName());
                    break;
                case 1 when target is JsonObject obj:
                    obj[Pick(r, Keys)] = Hostile(r);
                    break;
                case 2 when target is JsonArray array:
                    array.Add(r.Next(3) == 0 && array.Count > 0 ? array[r.Next(array.Count)]?.DeepClone() : Hostile(r));
                    break;
                default:
                    if (target.Parent is JsonObject owner)
                        owner[target.GetPropertyName()] = Hostile(r);
                    else if (target.Parent is JsonArray list)
                        list[target.GetElementIndex()] = Hostile(r);
                    else
                        root = Hostile(r) ?? JsonValue.Create(0);
                    break;
            }
        }
        return root?.ToJsonString() ?? "null";
    }

    private static void Collect(JsonNode node, List<JsonNode> nodes)
    {
        nodes.Add(node);
        if (node is JsonObject obj)
            foreach ((_, JsonNode? child) in obj.ToList())
            {
                if (child is not null) Collect(child, nodes);
            }
        else if (node is JsonArray array)
            foreach (JsonNode? child in array.ToList())
            {
                if (child is not null) Collect(child, nodes);
            }
    }

    private static JsonNode? Hostile(Random r) => r.Next(9) switch
    {
        0 or 1 or 2 => JsonValue.Create(Pick(r, HostileStrings)),
        3 => JsonNode.Parse(Pick(r, HostileNumbers)),
        4 => Pick(r, [JsonValue.Create(true), JsonValue.Create(false), null]),
        5 => new JsonArray(),
        6 => new JsonObject(),
        7 => new JsonArray(Enumerable.Range(0, r.Next(50, 200)).Select(i => (JsonNode?)JsonValue.Create("x" + i)).ToArray()),
        _ => new JsonObject { [Pick(r, Keys)] = JsonValue.Create(Pick(r, HostileStrings)) },
    };

    private static T Pick<T>(Random r, T[] items) => items[r.Next(items.Length)];

    /// <summary>
    /// Valid bodies per route (per chain for the signing routes): the catalog's examples, and bodies a test of this run
    /// builds for the account's own keys (a PSBT paying its Taproot key and a Solana message it must sign, by the npm
    /// wallet libraries), so the mutations start from requests that would be signed.
    /// </summary>
    private static async Task<Dictionary<string, List<string>>> SeedsAsync(ApprovalHarness h)
    {
        var seeds = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        void Add(string key, string body)
        {
            if (!seeds.TryGetValue(key, out List<string>? list)) seeds[key] = list = [];
            list.Add(body);
        }
        foreach ((string route, RouteDoc doc) in RouteCatalog.Routes)
        {
            string pattern = route[(route.IndexOf(' ', StringComparison.Ordinal) + 1)..];
            // The catalog's webhook points at a name (the run's own, below, needs no lookup), and its policy example
            // freezes the account (the run's own freeze is one seed of four, so most of the run is not frozen).
            if (pattern.EndsWith("/webhook", StringComparison.Ordinal) || pattern.EndsWith("/policy", StringComparison.Ordinal))
                continue;
            foreach ((string name, string example) in doc.RequestExamples ?? new Dictionary<string, string>())
            {
                bool perChain = pattern.EndsWith("/sign/{chain}", StringComparison.Ordinal) || pattern.EndsWith("/sign-batch/{chain}", StringComparison.Ordinal);
                Add(perChain ? $"{pattern} {(pattern.EndsWith("/sign-batch/{chain}", StringComparison.Ordinal) ? "ethereum" : name.Split('-')[0])}" : pattern, example);
            }
        }
        const string Sign = "/v1/accounts/{account}/sign/{chain}";
        const string Batch = "/v1/accounts/{account}/sign-batch/{chain}";
        Add($"{Sign} ethereum", Transfer(10 * Milli, 1));   // the agent's policy allows it
        Add($"{Sign} ethereum", Transfer(200 * Milli, 2));  // the agent's policy asks for approvals
        (_, JsonNode? bitcoinKey) = await h.SendAsync(HttpMethod.Get, $"/v1/accounts/{Account}/keys/bitcoin", null, Account, h.Server.OwnerKey);
        (_, JsonNode? solanaKey) = await h.SendAsync(HttpMethod.Get, $"/v1/accounts/{Account}/keys/solana", null, Account, h.Server.OwnerKey);
        JsonNode psbt = await NodeOracle.RunAsync("keystore-api.mjs", new JsonObject { ["op"] = "psbt-build", ["publicKey"] = bitcoinKey!["publicKey"]!.GetValue<string>(), ["network"] = "mainnet" });
        JsonNode solana = await NodeOracle.RunAsync("keystore-api.mjs", new JsonObject { ["op"] = "sol-message", ["address"] = solanaKey!["address"]!.GetValue<string>() });
        string bitcoin = new JsonObject { ["psbt"] = psbt["psbt"]!.GetValue<string>() }.ToJsonString();
        string sol = new JsonObject { ["message"] = solana["message"]!.GetValue<string>() }.ToJsonString();
        Add($"{Sign} bitcoin", bitcoin);
        Add($"{Sign} bitcoin", new JsonObject { ["psbt"] = psbt["psbt"]!.GetValue<string>(), ["finalize"] = true, ["allowedSighashTypes"] = new JsonArray("DEFAULT", "ALL") }.ToJsonString());
        Add($"{Sign} solana", sol);
        Add($"{Sign} solana", new JsonObject { ["message"] = solana["legacyMessage"]!.GetValue<string>() }.ToJsonString());
        Add($"{Batch} bitcoin", $"{{\"items\":[{bitcoin},{bitcoin}]}}");
        Add($"{Batch} solana", $"{{\"items\":[{sol},{{\"message\":\"AAAA\"}}]}}");
        Add($"{Batch} ethereum", $"{{\"items\":[{Transfer(Milli, 3)},{Transfer(Milli, 4)}]}}");
        Add("/v1/accounts/{account}/agents", new JsonObject
        {
            ["publicKey"] = PublicKeyOf(OtherAgent),
            ["name"] = "fuzz-bot",
            ["expiresAt"] = DateTimeOffset.UtcNow.AddDays(3).ToString("yyyy-MM-ddTHH:mm:ssZ"),
            ["policy"] = JsonNode.Parse(Policy()),
        }.ToJsonString());
        Add("/v1/accounts/{account}/agents/{publicKey}", new JsonObject { ["name"] = "renamed", ["policy"] = JsonNode.Parse(Policy("2000000000000000000")) }.ToJsonString());
        const string Caps = """{"frozen":false,"rules":{"kind":"account","version":1,"rules":[{"id":"caps","chains":["ethereum"],"operations":["transaction","message"],"limits":{"eth:1":{"daily":"5000000000000000000"}}}]}}""";
        foreach (string policy in new[] { Caps, Caps, """{"frozen":false}""", """{"frozen":true}""" })
            Add("/v1/accounts/{account}/policy", policy);
        Add("/v1/accounts/{account}/keys/{chain}/publish", "");
        Add("/v1/accounts/{account}/webhook", """{"url":"https://127.0.0.1:1/hook","events":["pending","signed","denied"]}""");
        return seeds;
    }

    private static async Task<long> SignedEntriesAsync(ApprovalHarness h)
    {
        long count = 0;
        long after = 0;
        while (true)
        {
            (HttpStatusCode status, JsonNode? page) = await h.SendAsync(HttpMethod.Get, $"/v1/accounts/{Account}/audit?after={after}&limit=1000", null, Account, h.Server.OwnerKey);
            Assert.Equal(HttpStatusCode.OK, status);
            JsonArray entries = page!["entries"]!.AsArray();
            if (entries.Count == 0) return count;
            count += entries.Count(e => e!["entry"]!["kind"]!.GetValue<string>() == "signed");
            after = entries[^1]!["seq"]!.GetValue<long>();
        }
    }
}
