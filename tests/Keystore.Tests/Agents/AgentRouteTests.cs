using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Keystore.Agents;
using Keystore.Tests.State;
using Keystore.Tests.Support;
using Keystore.TestSupport.State;
using NSec.Cryptography;

namespace Keystore.Tests.Agents;

public class AgentRouteTests
{
    private const string Account = KeystoreServer.Owner;
    private const string Message = """{"message":"hello from an agent"}""";

    private static string PublicKeyOf(Key key) => new Keystore.Near.Keys.Ed25519PublicKey(key.PublicKey.Export(KeyBlobFormat.RawPublicKey)).ToString();

    private static HttpRequestMessage Signed(HttpMethod method, string path, string? body, Key key, string account = Account) =>
        NearRequests.Request(method, path, body, NearRequests.Credential(method.Method, path, Encoding.UTF8.GetBytes(body ?? ""), account, key));

    private static async Task<(HttpStatusCode Status, JsonNode? Body)> SendAsync(HttpClient client, HttpRequestMessage request)
    {
        using (request)
        {
            using HttpResponseMessage response = await client.SendAsync(request);
            string text = await response.Content.ReadAsStringAsync();
            return (response.StatusCode, text.Length == 0 ? null : JsonNode.Parse(text));
        }
    }

    private static string Register(Key agent, string policy, string name = "trading-bot", DateTimeOffset? expiresAt = null) =>
        new JsonObject
        {
            ["publicKey"] = PublicKeyOf(agent),
            ["name"] = name,
            ["expiresAt"] = (expiresAt ?? DateTimeOffset.UtcNow.AddDays(30)).ToString("yyyy-MM-ddTHH:mm:ssZ"),
            ["policy"] = JsonNode.Parse(policy),
        }.ToJsonString();

    /// <summary>A real policy document: the agent may move up to 1 SOL a day on Solana, and nothing else.</summary>
    private const string SolanaOnlyPolicy = """{"kind":"agent","version":1,"rules":[{"id":"sol-only","chains":["solana"],"operations":["transaction"],"limits":{"sol":{"daily":"1000000000"}}}]}""";

    /// <summary>The store's window tests run behind <see cref="CountingPolicyGate"/>, whose policies are its own small documents.</summary>
    private static Task<KeystoreServer> StartWithGateAsync(IDictionary<string, string?>? settings = null) =>
        KeystoreServer.StartAsync(settings, b =>
        {
            b.Services.AddSingleton<IAgentSigningGate, CountingPolicyGate>();
            b.Services.AddSingleton<IPolicyDocumentValidator, CountingPolicyGate>();
        });

    [Fact]
    public async Task The_owner_registers_lists_reads_updates_and_revokes_an_agent_key()
    {
        await using KeystoreServer server = await KeystoreServer.StartAsync();
        using var agent = Key.Create(SignatureAlgorithm.Ed25519);
        string path = $"/v1/accounts/{Account}/agents";

        (HttpStatusCode created, JsonNode? body) = await SendAsync(server.Client, Signed(HttpMethod.Post, path, Register(agent, SolanaOnlyPolicy), server.OwnerKey));
        Assert.Equal(HttpStatusCode.Created, created);
        Assert.Equal(PublicKeyOf(agent), body!["publicKey"]!.GetValue<string>());
        Assert.True(body["active"]!.GetValue<bool>());
        long v1 = body["version"]!.GetValue<long>();

        (HttpStatusCode listed, JsonNode? list) = await SendAsync(server.Client, Signed(HttpMethod.Get, path, null, server.OwnerKey));
        Assert.Equal(HttpStatusCode.OK, listed);
        Assert.Equal("trading-bot", list!["agents"]![0]!["name"]!.GetValue<string>());

        string one = $"{path}/{PublicKeyOf(agent)}";
        (HttpStatusCode updated, JsonNode? changed) = await SendAsync(server.Client, Signed(HttpMethod.Put, one, """{"name":"renamed","policy":{"kind":"agent","version":1,"rules":[{"id":"renamed-rule","chains":["solana"],"operations":["transaction"],"limits":{"sol":{}}}]}}""", server.OwnerKey));
        Assert.Equal(HttpStatusCode.OK, updated);
        Assert.Equal("renamed", changed!["name"]!.GetValue<string>());
        Assert.Equal("renamed-rule", changed["policy"]!["rules"]![0]!["id"]!.GetValue<string>());
        Assert.True(changed["version"]!.GetValue<long>() > v1);

        (HttpStatusCode read, JsonNode? got) = await SendAsync(server.Client, Signed(HttpMethod.Get, one, null, server.OwnerKey));
        Assert.Equal(HttpStatusCode.OK, read);
        Assert.Equal("renamed", got!["name"]!.GetValue<string>());

        Assert.Equal(HttpStatusCode.OK, (await SendAsync(server.Client, Signed(HttpMethod.Delete, one, null, server.OwnerKey))).Status);
        (HttpStatusCode gone, JsonNode? problem) = await SendAsync(server.Client, Signed(HttpMethod.Get, one, null, server.OwnerKey));
        Assert.Equal(HttpStatusCode.NotFound, gone);
        Assert.EndsWith(":agent-not-found", problem!["type"]!.GetValue<string>());
    }

    [Fact]
    public async Task An_agent_key_is_refused_on_every_owner_only_route()
    {
        await using KeystoreServer server = await KeystoreServer.StartAsync();
        using var agent = Key.Create(SignatureAlgorithm.Ed25519);
        Assert.Equal(HttpStatusCode.Created, (await SendAsync(server.Client, Signed(HttpMethod.Post, $"/v1/accounts/{Account}/agents", Register(agent, SolanaOnlyPolicy), server.OwnerKey))).Status);

        (HttpMethod, string, string?)[] ownerOnly =
        [
            (HttpMethod.Get, $"/v1/accounts/{Account}/agents", null),
            (HttpMethod.Post, $"/v1/accounts/{Account}/agents", Register(Key.Create(SignatureAlgorithm.Ed25519), SolanaOnlyPolicy)),
            (HttpMethod.Delete, $"/v1/accounts/{Account}/agents/{PublicKeyOf(agent)}", null),
            (HttpMethod.Put, $"/v1/accounts/{Account}/policy", """{"frozen":false}"""),
            (HttpMethod.Get, $"/v1/accounts/{Account}/policy", null),
            (HttpMethod.Post, $"/v1/accounts/{Account}/keys/ethereum/publish", null),
            // Keys leaving the keystore, and a batch (which skips the per-request policy gate), are the owner's too.
            (HttpMethod.Post, $"/v1/accounts/{Account}/export", """{"recipient":"age1zvkyg2lqzraa2lnjvqej32nkuu0ues2s82hzrye869xeexvn73equnujwj","include":["mnemonic"]}"""),
            (HttpMethod.Post, $"/v1/accounts/{Account}/sign-batch/solana", """{"items":[{"message":"AQ=="}]}"""),
            (HttpMethod.Get, $"/v1/accounts/{Account}/audit", null),
            (HttpMethod.Get, $"/v1/accounts/{Account}/approvals", null),
        ];
        foreach ((HttpMethod method, string path, string? body) in ownerOnly)
        {
            (HttpStatusCode status, JsonNode? problem) = await SendAsync(server.Client, Signed(method, path, body, agent));
            Assert.Equal(HttpStatusCode.Forbidden, status);
            Assert.EndsWith(":owner-only", problem!["type"]!.GetValue<string>());
        }
    }

    [Fact]
    public async Task An_agent_whose_policy_has_no_rule_for_the_request_signs_nothing_and_the_dry_run_says_why()
    {
        await using KeystoreServer server = await KeystoreServer.StartAsync();
        using var agent = Key.Create(SignatureAlgorithm.Ed25519);
        await SendAsync(server.Client, Signed(HttpMethod.Post, $"/v1/accounts/{Account}/agents", Register(agent, SolanaOnlyPolicy), server.OwnerKey));

        (HttpStatusCode status, JsonNode? problem) = await SendAsync(server.Client, Signed(HttpMethod.Post, $"/v1/accounts/{Account}/sign/ethereum", Message, agent));
        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.EndsWith(":policy-denied", problem!["type"]!.GetValue<string>());
        Assert.Equal("chains", problem["rule"]!.GetValue<string>());
        Assert.Null(problem["signature"]);

        (HttpStatusCode dry, JsonNode? decision) = await SendAsync(server.Client, Signed(HttpMethod.Post, $"/v1/accounts/{Account}/sign/ethereum?dryRun=true", Message, agent));
        Assert.Equal(HttpStatusCode.OK, dry);
        Assert.Equal("deny", decision!["decision"]!.GetValue<string>());
        Assert.Equal("chains", decision["rule"]!.GetValue<string>());

        // The owner is not under the agent gate.
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(server.Client, Signed(HttpMethod.Post, $"/v1/accounts/{Account}/sign/ethereum", Message, server.OwnerKey))).Status);
    }

    [Fact]
    public async Task An_agent_signs_up_to_its_window_limit_exactly_and_is_refused_past_it_with_the_rule_named()
    {
        await using KeystoreServer server = await StartWithGateAsync();
        using var agent = Key.Create(SignatureAlgorithm.Ed25519);
        await SendAsync(server.Client, Signed(HttpMethod.Post, $"/v1/accounts/{Account}/agents", Register(agent, """{"dailyLimit":5,"perRequest":2}"""), server.OwnerKey));
        string sign = $"/v1/accounts/{Account}/sign/ethereum";

        for (int i = 0; i < 2; i++)
        {
            (HttpStatusCode ok, JsonNode? signed) = await SendAsync(server.Client, Signed(HttpMethod.Post, sign, Message, agent));
            Assert.Equal(HttpStatusCode.OK, ok);
            Assert.NotNull(signed!["signature"]);
        }
        (HttpStatusCode dry, JsonNode? decision) = await SendAsync(server.Client, Signed(HttpMethod.Post, sign + "?dryRun=true", Message, agent));
        Assert.Equal(HttpStatusCode.OK, dry);
        Assert.Equal("deny", decision!["decision"]!.GetValue<string>());
        Assert.Equal("4", decision["windows"]![0]!["current"]!.GetValue<string>());
        Assert.Equal("6", decision["windows"]![0]!["after"]!.GetValue<string>());

        (HttpStatusCode refused, JsonNode? problem) = await SendAsync(server.Client, Signed(HttpMethod.Post, sign, Message, agent));
        Assert.Equal(HttpStatusCode.Forbidden, refused);
        Assert.EndsWith(":policy-denied", problem!["type"]!.GetValue<string>());
        Assert.Equal("daily-limit", problem["rule"]!.GetValue<string>());
        Assert.Equal("4", problem["window"]!["current"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_failed_signature_gives_its_reservation_back()
    {
        await using KeystoreServer server = await StartWithGateAsync();
        using var agent = Key.Create(SignatureAlgorithm.Ed25519);
        await SendAsync(server.Client, Signed(HttpMethod.Post, $"/v1/accounts/{Account}/agents", Register(agent, """{"dailyLimit":2,"perRequest":2}"""), server.OwnerKey));
        string sign = $"/v1/accounts/{Account}/sign/ethereum";
        // Passes the gate (it charges every request), then the chain refuses it: nothing signed, nothing kept.
        (HttpStatusCode bad, _) = await SendAsync(server.Client, Signed(HttpMethod.Post, sign, """{"typedData":{"types":{}}}""", agent));
        Assert.Equal(HttpStatusCode.BadRequest, bad);
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(server.Client, Signed(HttpMethod.Post, sign, Message, agent))).Status);
    }

    [Fact]
    public async Task The_account_freeze_stops_the_owner_and_its_agents_until_lifted()
    {
        await using KeystoreServer server = await StartWithGateAsync();
        using var agent = Key.Create(SignatureAlgorithm.Ed25519);
        await SendAsync(server.Client, Signed(HttpMethod.Post, $"/v1/accounts/{Account}/agents", Register(agent, """{"dailyLimit":10,"perRequest":1}"""), server.OwnerKey));
        string policy = $"/v1/accounts/{Account}/policy", sign = $"/v1/accounts/{Account}/sign/ethereum";
        (HttpStatusCode put, JsonNode? frozen) = await SendAsync(server.Client, Signed(HttpMethod.Put, policy, """{"frozen":true,"rules":{"note":"incident"}}""", server.OwnerKey));
        Assert.Equal(HttpStatusCode.OK, put);
        Assert.True(frozen!["frozen"]!.GetValue<bool>());

        foreach (Key signer in new[] { server.OwnerKey, agent })
        {
            (HttpStatusCode status, JsonNode? problem) = await SendAsync(server.Client, Signed(HttpMethod.Post, sign, Message, signer));
            Assert.Equal(HttpStatusCode.Forbidden, status);
            Assert.Equal(AccountFreeze.Rule, problem!["rule"]!.GetValue<string>());
        }
        await SendAsync(server.Client, Signed(HttpMethod.Put, policy, """{"frozen":false}""", server.OwnerKey));
        (HttpStatusCode read, JsonNode? current) = await SendAsync(server.Client, Signed(HttpMethod.Get, policy, null, server.OwnerKey));
        Assert.Equal(HttpStatusCode.OK, read);
        Assert.False(current!["frozen"]!.GetValue<bool>());
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(server.Client, Signed(HttpMethod.Post, sign, Message, agent))).Status);
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(server.Client, Signed(HttpMethod.Post, sign, Message, server.OwnerKey))).Status);
    }

    [Fact]
    public async Task The_same_idempotency_key_and_body_get_the_stored_answer_and_another_body_gets_409()
    {
        await using KeystoreServer server = await StartWithGateAsync();
        using var agent = Key.Create(SignatureAlgorithm.Ed25519);
        await SendAsync(server.Client, Signed(HttpMethod.Post, $"/v1/accounts/{Account}/agents", Register(agent, """{"dailyLimit":2,"perRequest":1}"""), server.OwnerKey));
        HttpRequestMessage WithKey(string body, string key)
        {
            HttpRequestMessage request = Signed(HttpMethod.Post, $"/v1/accounts/{Account}/sign/ethereum", body, agent);
            request.Headers.Add("Idempotency-Key", key);
            return request;
        }

        using HttpResponseMessage first = await server.Client.SendAsync(WithKey(Message, "order-1"));
        using HttpResponseMessage again = await server.Client.SendAsync(WithKey(Message, "order-1"));
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal(await first.Content.ReadAsStringAsync(), await again.Content.ReadAsStringAsync());
        Assert.Equal("true", again.Headers.GetValues("Idempotent-Replayed").Single());

        (HttpStatusCode conflict, JsonNode? problem) = await SendAsync(server.Client, WithKey("""{"message":"another"}""", "order-1"));
        Assert.Equal(HttpStatusCode.Conflict, conflict);
        Assert.EndsWith(":idempotency-conflict", problem!["type"]!.GetValue<string>());

        // The replay was not charged again: one unit of the two is left.
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(server.Client, WithKey("""{"message":"second"}""", "order-2"))).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await SendAsync(server.Client, WithKey("""{"message":"third"}""", "order-3"))).Status);
        // A refused request keeps no answer: the same key may be retried.
        Assert.Equal(HttpStatusCode.Forbidden, (await SendAsync(server.Client, WithKey("""{"message":"third"}""", "order-3"))).Status);
    }

    [Fact]
    public async Task An_idempotency_key_the_owner_used_does_not_hand_its_answer_to_an_agent_whose_policy_forbids_the_request()
    {
        await using KeystoreServer server = await KeystoreServer.StartAsync();
        using var agent = Key.Create(SignatureAlgorithm.Ed25519);
        await SendAsync(server.Client, Signed(HttpMethod.Post, $"/v1/accounts/{Account}/agents", Register(agent, SolanaOnlyPolicy), server.OwnerKey));
        HttpRequestMessage WithKey(Key key)
        {
            HttpRequestMessage request = Signed(HttpMethod.Post, $"/v1/accounts/{Account}/sign/ethereum", Message, key);
            request.Headers.Add("Idempotency-Key", "login-1");
            return request;
        }
        (HttpStatusCode owner, _) = await SendAsync(server.Client, WithKey(server.OwnerKey));
        Assert.Equal(HttpStatusCode.OK, owner);

        // The same key and body from the agent, whose policy allows nothing on Ethereum, is another caller's request: it
        // must not receive the owner's signature, which its policy would never have let it have.
        using HttpResponseMessage response = await server.Client.SendAsync(WithKey(agent));
        string raw = await response.Content.ReadAsStringAsync();
        Assert.False(response.Headers.Contains("Idempotent-Replayed"), raw);
        Assert.True(response.StatusCode == HttpStatusCode.Conflict, raw);
        Assert.EndsWith(":idempotency-conflict", JsonNode.Parse(raw)!["type"]!.GetValue<string>());
        Assert.DoesNotContain("signature", raw, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_request_replayed_after_a_restart_is_refused()
    {
        using var file = new TemporarySqliteFile();
        string path = file.Path;
        var settings = new Dictionary<string, string?> { ["Keystore:State:SqlitePath"] = path };
        string credential, owner;
        await using (KeystoreServer first = await KeystoreServer.StartAsync(settings))
        {
            owner = first.OwnerPublicKey;
            credential = NearRequests.Credential("POST", $"/v1/accounts/{Account}/sign/ethereum", Encoding.UTF8.GetBytes(Message), Account, first.OwnerKey);
            Assert.Equal(HttpStatusCode.OK, (await SendAsync(first.Client, NearRequests.Request(HttpMethod.Post, $"/v1/accounts/{Account}/sign/ethereum", Message, credential))).Status);
        }
        // The same owner key, a new process on the same database.
        settings[$"Keystore:Owners:{Account}:1"] = owner;
        await using KeystoreServer second = await KeystoreServer.StartAsync(settings);
        (HttpStatusCode status, JsonNode? problem) = await SendAsync(second.Client, NearRequests.Request(HttpMethod.Post, $"/v1/accounts/{Account}/sign/ethereum", Message, credential));
        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.EndsWith(":replayed-nonce", problem!["type"]!.GetValue<string>());
    }

    [Fact]
    public async Task On_PostgreSQL_a_replay_at_a_second_instance_and_a_revoked_agent_there_are_refused_at_once()
    {
        string database = await TestPostgres.CreateDatabaseAsync();
        var settings = new Dictionary<string, string?> { ["Keystore:State:Provider"] = "postgres", ["Keystore:State:ConnectionString"] = database };
        await using KeystoreServer a = await StartWithGateAsync(settings);
        await using KeystoreServer b = await StartWithGateAsync(new Dictionary<string, string?>(settings) { [$"Keystore:Owners:{Account}:1"] = a.OwnerPublicKey });
        string sign = $"/v1/accounts/{Account}/sign/ethereum";

        string credential = NearRequests.Credential("POST", sign, Encoding.UTF8.GetBytes(Message), Account, a.OwnerKey);
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(a.Client, NearRequests.Request(HttpMethod.Post, sign, Message, credential))).Status);
        (HttpStatusCode replayed, JsonNode? problem) = await SendAsync(b.Client, NearRequests.Request(HttpMethod.Post, sign, Message, credential));
        Assert.Equal(HttpStatusCode.Unauthorized, replayed);
        Assert.EndsWith(":replayed-nonce", problem!["type"]!.GetValue<string>());

        using var agent = Key.Create(SignatureAlgorithm.Ed25519);
        Assert.Equal(HttpStatusCode.Created, (await SendAsync(a.Client, Signed(HttpMethod.Post, $"/v1/accounts/{Account}/agents", Register(agent, """{"dailyLimit":9,"perRequest":1}"""), a.OwnerKey))).Status);
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(b.Client, Signed(HttpMethod.Post, sign, Message, agent))).Status);
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(a.Client, Signed(HttpMethod.Delete, $"/v1/accounts/{Account}/agents/{PublicKeyOf(agent)}", null, a.OwnerKey))).Status);
        (HttpStatusCode revoked, JsonNode? refusal) = await SendAsync(b.Client, Signed(HttpMethod.Post, sign, Message, agent));
        Assert.Equal(HttpStatusCode.Forbidden, revoked);
        Assert.EndsWith(":not-account-owner", refusal!["type"]!.GetValue<string>());
    }

    [Fact]
    public async Task Parallel_agent_requests_through_two_keystores_sharing_PostgreSQL_sign_exactly_what_the_window_allows()
    {
        string database = await TestPostgres.CreateDatabaseAsync();
        var settings = new Dictionary<string, string?> { ["Keystore:State:Provider"] = "postgres", ["Keystore:State:ConnectionString"] = database };
        await using KeystoreServer a = await StartWithGateAsync(settings);
        await using KeystoreServer b = await StartWithGateAsync(settings);
        using var agent = Key.Create(SignatureAlgorithm.Ed25519);
        // 50 a day, 3 a request: floor(50 / 3) = 16 signatures, whichever instance each request reaches.
        Assert.Equal(HttpStatusCode.Created, (await SendAsync(a.Client, Signed(HttpMethod.Post, $"/v1/accounts/{Account}/agents", Register(agent, """{"dailyLimit":50,"perRequest":3}"""), a.OwnerKey))).Status);
        string sign = $"/v1/accounts/{Account}/sign/ethereum";
        (HttpStatusCode Status, JsonNode? Body)[] results = await Task.WhenAll(Enumerable.Range(0, 60).Select(i =>
            SendAsync((i % 2 == 0 ? a : b).Client, Signed(HttpMethod.Post, sign, new JsonObject { ["message"] = $"request {i}" }.ToJsonString(), agent))));

        Assert.Equal(16, results.Count(r => r.Status == HttpStatusCode.OK));
        Assert.All(results.Where(r => r.Status != HttpStatusCode.OK), r =>
        {
            Assert.Equal(HttpStatusCode.Forbidden, r.Status);
            Assert.Equal("daily-limit", r.Body!["rule"]!.GetValue<string>());
        });
    }

    [Theory]
    [InlineData("POST", "", """{"publicKey":"ed25519:abc","name":"x","expiresAt":"2030-01-01T00:00:00Z","policy":{}}""", "invalid-agent")]
    [InlineData("POST", "", """{"publicKey":"secp256k1:abc","name":"x","expiresAt":"2030-01-01T00:00:00Z","policy":{}}""", "invalid-agent")]
    [InlineData("POST", "", """{"publicKey":"{key}","name":"","expiresAt":"2030-01-01T00:00:00Z","policy":{}}""", "invalid-agent")]
    [InlineData("POST", "", """{"publicKey":"{key}","name":"a\u0000b","expiresAt":"2030-01-01T00:00:00Z","policy":{}}""", "invalid-agent")]
    [InlineData("POST", "", """{"publicKey":"{key}","name":"x","expiresAt":"2001-01-01T00:00:00Z","policy":{}}""", "invalid-agent")]
    [InlineData("POST", "", """{"publicKey":"{key}","name":"x","expiresAt":"tomorrow","policy":{}}""", "invalid-agent")]
    [InlineData("POST", "", """{"publicKey":"{key}","name":"x","expiresAt":"2030-01-01T00:00:00Z","policy":[1]}""", "invalid-policy")]
    [InlineData("POST", "", """{"publicKey":"{key}","name":"x","expiresAt":"2030-01-01T00:00:00Z"}""", "invalid-agent")]
    [InlineData("POST", "", """{"publicKey":"{key}","name":"x","expiresAt":"2030-01-01T00:00:00Z","policy":{},"admin":true}""", "invalid-agent")]
    [InlineData("POST", "", """[]""", "invalid-agent")]
    [InlineData("POST", "", """{"a":1,"a":2}""", "invalid-json")]
    [InlineData("PUT", "/{key}", """{}""", "invalid-agent")]
    [InlineData("PUT", "/{key}", """{"name":"x"}""", "agent-not-found")]
    [InlineData("PUT", "/not-a-key", """{"name":"x"}""", "invalid-agent")]
    [InlineData("DELETE", "/{key}", null, "agent-not-found")]
    [InlineData("GET", "", "{}", "invalid-request")]
    public async Task Malformed_agent_requests_are_refused_with_a_problem_and_never_a_5xx(string method, string suffix, string? body, string slug)
    {
        await using KeystoreServer server = await KeystoreServer.StartAsync();
        // A well-formed key, so each case is refused for the one thing it gets wrong.
        using var agent = Key.Create(SignatureAlgorithm.Ed25519);
        suffix = suffix.Replace("{key}", PublicKeyOf(agent), StringComparison.Ordinal);
        body = body?.Replace("{key}", PublicKeyOf(agent), StringComparison.Ordinal);
        (HttpStatusCode status, JsonNode? problem) = await SendAsync(server.Client, Signed(new HttpMethod(method), $"/v1/accounts/{Account}/agents{suffix}", body, server.OwnerKey));
        Assert.InRange((int)status, 400, 499);
        Assert.EndsWith(":" + slug, problem!["type"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("""{"frozen":"yes"}""", "invalid-policy")]
    [InlineData("""{"rules":{}}""", "invalid-agent")]
    [InlineData("""{"frozen":false,"rules":"x"}""", "invalid-policy")]
    [InlineData("""{"frozen":false,"other":1}""", "invalid-agent")]
    public async Task Malformed_account_policies_are_refused(string body, string slug)
    {
        await using KeystoreServer server = await KeystoreServer.StartAsync();
        (HttpStatusCode status, JsonNode? problem) = await SendAsync(server.Client, Signed(HttpMethod.Put, $"/v1/accounts/{Account}/policy", body, server.OwnerKey));
        Assert.InRange((int)status, 400, 499);
        Assert.EndsWith(":" + slug, problem!["type"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("?dryRun=maybe", null, "invalid-request")]
    [InlineData("", "", "invalid-idempotency-key")]
    [InlineData("", "has space", "invalid-idempotency-key")]
    public async Task Malformed_dry_run_and_idempotency_inputs_are_refused_and_nothing_is_signed(string query, string? idempotencyKey, string slug)
    {
        await using KeystoreServer server = await KeystoreServer.StartAsync();
        HttpRequestMessage request = Signed(HttpMethod.Post, $"/v1/accounts/{Account}/sign/ethereum{query}", Message, server.OwnerKey);
        if (idempotencyKey is not null) request.Headers.TryAddWithoutValidation("Idempotency-Key", idempotencyKey);
        (HttpStatusCode status, JsonNode? problem) = await SendAsync(server.Client, request);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.EndsWith(":" + slug, problem!["type"]!.GetValue<string>());
    }
}
