using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Keystore.OpenApi;
using Keystore.Tests.Support;
using Microsoft.AspNetCore.Routing;
using NSec.Cryptography;

namespace Keystore.Tests.OpenApi;

/// <summary>
/// The OpenAPI document at /openapi/v1.json describes what the keystore really answers: real responses of every
/// route (successes and problems) are validated against it by independent npm validators.
/// </summary>
public class OpenApiDocumentTests
{
    private const string Owner = KeystoreServer.Owner;

    private sealed record Sample(string Method, string Route, int Status, string ContentType, JsonNode? Body);

    [Fact]
    public async Task Real_responses_of_every_route_match_the_document()
    {
        var samples = new List<Sample>();
        JsonNode document;
        await using (KeystoreServer server = await KeystoreServer.StartAsync(new Dictionary<string, string?> { ["Keystore:Bitcoin:Network"] = "regtest" }))
        {
            using HttpResponseMessage docResponse = await server.Client.GetAsync(OpenApiSetup.DocumentPath);
            Assert.Equal(HttpStatusCode.OK, docResponse.StatusCode);
            document = JsonNode.Parse(await docResponse.Content.ReadAsStringAsync())!;
            await CollectReadyServerSamplesAsync(server, samples);
        }
        await using (KeystoreServer starting = await KeystoreServer.StartAsync(new Dictionary<string, string?>
        {
            // A ckd boot that cannot reach NEAR: the keystore stays not ready; a tiny rate limit gives 429s.
            ["Keystore:MasterSecret:Source"] = "ckd",
            ["Keystore:MasterSecret:BackupHex"] = null,
            ["Keystore:Near:RpcUrls:0"] = "http://127.0.0.1:9/",
            ["Keystore:Near:DaoContractId"] = "dao.test.near",
            ["Keystore:RateLimit:PermitsPerSecond"] = "1",
            ["Keystore:RateLimit:Burst"] = "2",
        }, waitUntilReady: false))
        {
            await Record(samples, starting.Client, HttpMethod.Get, "/v1/ready", "/v1/ready", expect: 503);
            await Record(samples, starting.Client, HttpMethod.Get, "/v1/accounts/{account}/keys/{chain}", $"/v1/accounts/{Owner}/keys/ethereum", expect: 503);
            await Record(samples, starting.Client, HttpMethod.Post, "/v1/accounts/{account}/sign/{chain}", $"/v1/accounts/{Owner}/sign/ethereum",
                """{"message":"x"}""", starting, expect: 503);
            for (int i = 0; i < 5; i++)
                await Record(samples, starting.Client, HttpMethod.Get, "/v1/accounts/{account}/keys/{chain}", $"/v1/accounts/{Owner}/keys/solana", expect: null);
            Assert.Contains(samples, s => s.Status == 429);
        }

        JsonNode verdict = await NodeOracle.RunAsync("openapi-responses.mjs", new JsonObject
        {
            ["document"] = document,
            ["samples"] = new JsonArray(samples.Select(s => (JsonNode)new JsonObject
            {
                ["method"] = s.Method, ["route"] = s.Route, ["status"] = s.Status, ["contentType"] = s.ContentType, ["body"] = s.Body?.DeepClone(),
            }).ToArray()),
        });
        Assert.True(verdict["documentValid"]!.GetValue<bool>(), verdict["documentErrors"]?.ToJsonString());
        Assert.True(verdict["failures"]!.AsArray().Count == 0, verdict["failures"]!.ToJsonString());
        Assert.Equal(samples.Count, verdict["checked"]!.GetValue<int>());
        // Every documented route and every documented status class was exercised.
        Assert.Equal(RouteCatalog.Routes.Keys.Order(), samples.Select(s => $"{s.Method} {s.Route}").Distinct().Order());
        Assert.Superset(new HashSet<int> { 200, 201, 202, 400, 401, 403, 404, 405, 409, 413, 429, 503 }, samples.Select(s => s.Status).ToHashSet());
        Assert.Subset(new HashSet<int> { 200, 201, 202, 400, 401, 403, 404, 405, 409, 413, 429, 503 }, samples.Select(s => s.Status).ToHashSet());
        Assert.True(samples.Count >= 30, $"only {samples.Count} responses checked");
    }

    private static async Task CollectReadyServerSamplesAsync(KeystoreServer server, List<Sample> samples)
    {
        HttpClient c = server.Client;
        const string keys = "/v1/accounts/{account}/keys/{chain}";
        const string publish = "/v1/accounts/{account}/keys/{chain}/publish";
        const string sign = "/v1/accounts/{account}/sign/{chain}";

        await Record(samples, c, HttpMethod.Get, "/v1/health", "/v1/health", expect: 200);
        await Record(samples, c, HttpMethod.Get, "/v1/ready", "/v1/ready", expect: 200);
        await Record(samples, c, HttpMethod.Get, "/v1/attestation", "/v1/attestation", expect: 200);
        await Record(samples, c, HttpMethod.Get, "/v1/attestation/registration", "/v1/attestation/registration", expect: 200);
        foreach (string chain in new[] { "ethereum", "bitcoin", "solana" })
            await Record(samples, c, HttpMethod.Get, keys, $"/v1/accounts/{Owner}/keys/{chain}?index=3", expect: 200);
        await Record(samples, c, HttpMethod.Get, keys, $"/v1/accounts/{Owner}/keys/ethereum", null, server, expect: 200);
        await Record(samples, c, HttpMethod.Get, keys, "/v1/accounts/ALICE/keys/ethereum", expect: 400);
        await Record(samples, c, HttpMethod.Get, keys, $"/v1/accounts/{Owner}/keys/dogecoin", expect: 400);
        await Record(samples, c, HttpMethod.Get, keys, $"/v1/accounts/{Owner}/keys/ethereum?index=-1", expect: 400);
        await Record(samples, c, HttpMethod.Get, keys, $"/v1/accounts/{Owner}/keys/ethereum", authorization: "NEAR e30", expect: 401);
        await Record(samples, c, HttpMethod.Post, publish, $"/v1/accounts/{Owner}/keys/solana/publish?index=1", "", server, expect: 200);
        await Record(samples, c, HttpMethod.Post, publish, $"/v1/accounts/{Owner}/keys/solana/publish", "", expect: 401);
        await Record(samples, c, HttpMethod.Post, publish, $"/v1/accounts/{Owner}/keys/solana/publish", "{}", server, expect: 400);
        using (var stranger = Key.Create(SignatureAlgorithm.Ed25519))
            await Record(samples, c, HttpMethod.Post, publish, $"/v1/accounts/{Owner}/keys/solana/publish", "", server, stranger, expect: 403);

        string ethereum = $"/v1/accounts/{Owner}/sign/ethereum";
        await Record(samples, c, HttpMethod.Post, sign, ethereum, """
            {"transaction":{"type":2,"chainId":"0x1","nonce":"0x0","to":"0x000000000000000000000000000000000000dEaD","value":"0x2386f26fc10000","gas":"0x5208","maxFeePerGas":"0x77359400","maxPriorityFeePerGas":"0x3b9aca00"}}
            """, server, expect: 200);
        await Record(samples, c, HttpMethod.Post, sign, ethereum, """{"message":"hello"}""", server, expect: 200);
        await Record(samples, c, HttpMethod.Post, sign, ethereum, """
            {"typedData":{"types":{"EIP712Domain":[{"name":"name","type":"string"}],"Mail":[{"name":"contents","type":"string"}]},"primaryType":"Mail","domain":{"name":"Example"},"message":{"contents":"hi"}}}
            """, server, expect: 200);
        await Record(samples, c, HttpMethod.Post, sign, ethereum, "{not json", server, expect: 400);
        await Record(samples, c, HttpMethod.Post, sign, ethereum, """{"transaction":{"chainId":"0x1"}}""", server, expect: 400);
        await Record(samples, c, HttpMethod.Post, sign, ethereum, """{"message":"x"}""", expect: 401);
        await Record(samples, c, HttpMethod.Post, sign, ethereum, "{\"message\": \"" + new string('a', 256 * 1024) + "\"}", server, expect: 413);
        // A wrong method is checked against the default answer of the route's documented method.
        await Record(samples, c, HttpMethod.Get, sign, ethereum, expect: 405, documentedMethod: "POST");

        string btcKey = JsonNode.Parse(await c.GetStringAsync($"/v1/accounts/{Owner}/keys/bitcoin"))!["publicKey"]!.GetValue<string>();
        JsonNode psbt = await NodeOracle.RunAsync("keystore-api.mjs", new JsonObject { ["op"] = "psbt-build", ["publicKey"] = btcKey, ["network"] = "regtest" });
        await Record(samples, c, HttpMethod.Post, sign, $"/v1/accounts/{Owner}/sign/bitcoin",
            new JsonObject { ["psbt"] = psbt["psbt"]!.GetValue<string>() }.ToJsonString(), server, expect: 200);
        await Record(samples, c, HttpMethod.Post, sign, $"/v1/accounts/{Owner}/sign/bitcoin", """{"psbt":"bm90IGEgcHNidA=="}""", server, expect: 400);

        string solAddress = JsonNode.Parse(await c.GetStringAsync($"/v1/accounts/{Owner}/keys/solana"))!["address"]!.GetValue<string>();
        JsonNode messages = await NodeOracle.RunAsync("keystore-api.mjs", new JsonObject { ["op"] = "sol-message", ["address"] = solAddress });
        await Record(samples, c, HttpMethod.Post, sign, $"/v1/accounts/{Owner}/sign/solana",
            new JsonObject { ["message"] = messages["message"]!.GetValue<string>() }.ToJsonString(), server, expect: 200);
        await Record(samples, c, HttpMethod.Post, sign, $"/v1/accounts/{Owner}/sign/solana",
            new JsonObject { ["message"] = messages["foreignMessage"]!.GetValue<string>() }.ToJsonString(), server, expect: 400);
        await Record(samples, c, HttpMethod.Get, "/v1/health", "/v1/nothing-here", expect: 404);

        await Record(samples, c, HttpMethod.Post, "/v1/accounts/{account}/sign-batch/{chain}", $"/v1/accounts/{Owner}/sign-batch/ethereum",
            """{"items":[{"message":"one"},{"message":"two","index":1},{"nothing":true}]}""", server, expect: 200);
        await CollectAgentAndAuditSamplesAsync(server, samples);
        await CollectApprovalSamplesAsync(server, samples);
    }

    /// <summary>The approval routes: an agent's request waits (202), the owner, named as its only approver, lists, reads, approves, rejects and cancels.</summary>
    private static async Task CollectApprovalSamplesAsync(KeystoreServer server, List<Sample> samples)
    {
        HttpClient c = server.Client;
        using var agentKey = Key.Create(SignatureAlgorithm.Ed25519);
        string agentId = new Keystore.Near.Keys.Ed25519PublicKey(agentKey.PublicKey.Export(KeyBlobFormat.RawPublicKey)).ToString();
        const string rules = """{"kind":"agent","version":1,"rules":[{"id":"payments","chains":["ethereum"],"operations":["transaction"],"limits":{"eth:1":{}},"approvals":{"required":1,"approvers":["alice.near"]}}]}""";
        await Record(samples, c, HttpMethod.Post, "/v1/accounts/{account}/agents", $"/v1/accounts/{Owner}/agents",
            $$$"""{"publicKey":"{{{agentId}}}","name":"guarded-bot","expiresAt":"2030-01-01T00:00:00Z","policy":{{{rules}}}}""", server, expect: 201);
        const string sign = "/v1/accounts/{account}/sign/{chain}", list = "/v1/accounts/{account}/approvals", one = "/v1/accounts/{account}/approvals/{id}";
        var ids = new List<(string Id, string Hash)>();
        for (int i = 0; i < 3; i++)
        {
            string body = $$$"""{"transaction":{"type":2,"chainId":"0x1","nonce":"{{{i}}}","to":"0x000000000000000000000000000000000000dEaD","value":"0x2386f26fc10000","gas":"0x5208","maxFeePerGas":"0x77359400","maxPriorityFeePerGas":"0x3b9aca00"}}""";
            JsonNode? pending = await Record(samples, c, HttpMethod.Post, sign, $"/v1/accounts/{Owner}/sign/ethereum", body, server, agentKey, expect: 202);
            ids.Add((pending!["id"]!.GetValue<string>(), Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(body)))));
        }
        await Record(samples, c, HttpMethod.Get, list, $"/v1/accounts/{Owner}/approvals?limit=2", null, server, expect: 200);
        await Record(samples, c, HttpMethod.Get, list, $"/v1/accounts/{Owner}/approvals?limit=0", null, server, expect: 400);
        await Record(samples, c, HttpMethod.Get, one, $"/v1/accounts/{Owner}/approvals/{ids[0].Id}", null, server, expect: 200);
        await Record(samples, c, HttpMethod.Get, one, $"/v1/accounts/{Owner}/approvals/AAAAAAAAAAAAAAAAAAAAAA", null, server, expect: 404);
        await Record(samples, c, HttpMethod.Get, one, $"/v1/accounts/{Owner}/approvals/nope", null, server, expect: 400);
        string approve = "/v1/accounts/{account}/approvals/{id}/approve", reject = "/v1/accounts/{account}/approvals/{id}/reject";
        await Record(samples, c, HttpMethod.Post, approve, $"/v1/accounts/{Owner}/approvals/{ids[0].Id}/approve", $$"""{"payloadHash":"{{new string('0', 64)}}"}""", server, expect: 409);
        await Record(samples, c, HttpMethod.Post, approve, $"/v1/accounts/{Owner}/approvals/{ids[0].Id}/approve", $$"""{"payloadHash":"{{ids[0].Hash}}"}""", server, expect: 200);
        await Record(samples, c, HttpMethod.Post, approve, $"/v1/accounts/{Owner}/approvals/{ids[0].Id}/approve", $$"""{"payloadHash":"{{ids[0].Hash}}"}""", server, agentKey, expect: 403);
        await Record(samples, c, HttpMethod.Post, reject, $"/v1/accounts/{Owner}/approvals/{ids[1].Id}/reject", $$"""{"payloadHash":"{{ids[1].Hash}}"}""", server, expect: 200);
        await Record(samples, c, HttpMethod.Post, reject, $"/v1/accounts/{Owner}/approvals/{ids[1].Id}/reject", "{}", server, expect: 400);
        await Record(samples, c, HttpMethod.Delete, one, $"/v1/accounts/{Owner}/approvals/{ids[2].Id}", null, server, expect: 200);
        await Record(samples, c, HttpMethod.Delete, one, $"/v1/accounts/{Owner}/approvals/{ids[2].Id}", null, server, expect: 409);
    }

    /// <summary>The agent, policy, export and audit routes, each with a success and the problems that matter most.</summary>
    private static async Task CollectAgentAndAuditSamplesAsync(KeystoreServer server, List<Sample> samples)
    {
        HttpClient c = server.Client;
        const string agents = "/v1/accounts/{account}/agents", agent = "/v1/accounts/{account}/agents/{publicKey}", policy = "/v1/accounts/{account}/policy";
        using var agentKey = Key.Create(SignatureAlgorithm.Ed25519);
        string agentId = new Keystore.Near.Keys.Ed25519PublicKey(agentKey.PublicKey.Export(KeyBlobFormat.RawPublicKey)).ToString();
        const string rules = """{"kind":"agent","version":1,"rules":[{"id":"payments","chains":["ethereum"],"operations":["transaction"],"limits":{"eth:1":{"daily":"500000000000000000"}}}]}""";
        string register = $$"""{"publicKey":"{{agentId}}","name":"payments-bot","expiresAt":"2030-01-01T00:00:00Z","policy":{{rules}}}""";
        await Record(samples, c, HttpMethod.Post, agents, $"/v1/accounts/{Owner}/agents", register.Replace("500000000000000000", "-1", StringComparison.Ordinal), server, expect: 400);
        await Record(samples, c, HttpMethod.Post, agents, $"/v1/accounts/{Owner}/agents", register, server, expect: 201);
        await Record(samples, c, HttpMethod.Get, agents, $"/v1/accounts/{Owner}/agents", null, server, expect: 200);
        await Record(samples, c, HttpMethod.Get, agent, $"/v1/accounts/{Owner}/agents/{agentId}", null, server, expect: 200);
        await Record(samples, c, HttpMethod.Get, agent, $"/v1/accounts/{Owner}/agents/ed25519:11111111111111111111111111111111", null, server, expect: 404);
        await Record(samples, c, HttpMethod.Put, agent, $"/v1/accounts/{Owner}/agents/{agentId}", """{"name":"renamed"}""", server, expect: 200);
        await Record(samples, c, HttpMethod.Get, agents, $"/v1/accounts/{Owner}/agents", null, server, agentKey, expect: 403);
        await Record(samples, c, HttpMethod.Get, policy, $"/v1/accounts/{Owner}/policy", null, server, expect: 200);
        await Record(samples, c, HttpMethod.Put, policy, $"/v1/accounts/{Owner}/policy", """{"frozen":false}""", server, expect: 200);
        await Record(samples, c, HttpMethod.Post, "/v1/accounts/{account}/export", $"/v1/accounts/{Owner}/export",
            """{"recipient":"age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p","include":["mnemonic"]}""", server, expect: 200);
        await Record(samples, c, HttpMethod.Post, "/v1/accounts/{account}/export", $"/v1/accounts/{Owner}/export", """{"recipient":"age1nope"}""", server, expect: 400);
        await Record(samples, c, HttpMethod.Get, "/v1/accounts/{account}/audit", $"/v1/accounts/{Owner}/audit?limit=5", null, server, expect: 200);
        await Record(samples, c, HttpMethod.Get, "/v1/audit/head", "/v1/audit/head", expect: 200);
        await Record(samples, c, HttpMethod.Get, "/v1/audit/chain", "/v1/audit/chain?limit=3", expect: 200);
        await Record(samples, c, HttpMethod.Get, "/v1/audit/chain", "/v1/audit/chain?limit=x", expect: 400);
        await Record(samples, c, HttpMethod.Delete, agent, $"/v1/accounts/{Owner}/agents/{agentId}", null, server, expect: 200);
        // The webhook routes; events no route here produces, so nothing is posted to the (public, unreachable) example address.
        const string webhook = "/v1/accounts/{account}/webhook";
        await Record(samples, c, HttpMethod.Get, webhook, $"/v1/accounts/{Owner}/webhook", null, server, expect: 404);
        await Record(samples, c, HttpMethod.Put, webhook, $"/v1/accounts/{Owner}/webhook", """{"url":"https://169.254.169.254/","events":["pending"]}""", server, expect: 400);
        await Record(samples, c, HttpMethod.Put, webhook, $"/v1/accounts/{Owner}/webhook", """{"url":"https://93.184.215.14/hooks/keystore","events":["pending","rejected"]}""", server, expect: 200);
        await Record(samples, c, HttpMethod.Get, webhook, $"/v1/accounts/{Owner}/webhook", null, server, expect: 200);
        await Record(samples, c, HttpMethod.Delete, webhook, $"/v1/accounts/{Owner}/webhook", null, server, expect: 200);
    }


    /// <summary>Sends one request (signed by the owner when <paramref name="signer"/> is given) and keeps its answer.</summary>
    private static async Task<JsonNode?> Record(List<Sample> samples, HttpClient client, HttpMethod method, string route, string path,
        string? body = null, KeystoreServer? signer = null, Key? key = null, string? authorization = null, int? expect = null, string? documentedMethod = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null) request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        if (signer is not null)
            request.Headers.TryAddWithoutValidation("Authorization", "NEAR " + KeystoreServer.Credential(
                method.Method, path, Encoding.UTF8.GetBytes(body ?? ""), Owner, key ?? signer.OwnerKey));
        else if (authorization is not null)
            request.Headers.TryAddWithoutValidation("Authorization", authorization);
        using HttpResponseMessage response = await client.SendAsync(request);
        string text = await response.Content.ReadAsStringAsync();
        if (expect is { } status)
            Assert.True((int)response.StatusCode == status, $"{method} {path}: expected {status}, got {(int)response.StatusCode} {text}");
        // A 404 belongs to no route: it is checked against the default answer of a route that exists.
        JsonNode? answer = JsonNode.Parse(text);
        samples.Add(new Sample(documentedMethod ?? method.Method, route, (int)response.StatusCode, response.Content.Headers.ContentType?.MediaType ?? "", answer));
        return answer;
    }

    [Fact]
    public async Task Every_route_has_a_summary_an_example_and_every_problem_type()
    {
        await using KeystoreServer server = await KeystoreServer.StartAsync();
        JsonNode document = JsonNode.Parse(await server.Client.GetStringAsync(OpenApiSetup.DocumentPath))!;
        Assert.Equal("3.1.1", document["openapi"]!.GetValue<string>());

        var mapped = server.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText!.StartsWith("/v1/", StringComparison.Ordinal))
            .SelectMany(e => (e.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.HttpMethodMetadata>()?.HttpMethods ?? []).Select(m => $"{m} {e.RoutePattern.RawText}"))
            .ToHashSet();
        Assert.Equal(mapped.Order(), RouteCatalog.Routes.Keys.Order());
        foreach (string route in mapped)
        {
            string[] parts = route.Split(' ');
            JsonNode operation = document["paths"]![parts[1]]![parts[0].ToLowerInvariant()]!;
            Assert.False(string.IsNullOrWhiteSpace(operation["summary"]?.GetValue<string>()), route);
            JsonNode ok = (operation["responses"]!["200"] ?? operation["responses"]!["201"])!["content"]!["application/json"]!;
            Assert.True(ok["examples"]!.AsObject().Count > 0, route);
            Assert.NotNull(operation["responses"]!["default"]!["content"]!["application/problem+json"]);
            if (parts[0] == "POST" && route.Contains("/sign/", StringComparison.Ordinal))
                Assert.True(operation["requestBody"]!["content"]!["application/json"]!["examples"]!.AsObject().Count >= 5);
        }

        string description = document["info"]!["description"]!.GetValue<string>();
        foreach (Keystore.Problems.ProblemType type in ProblemCatalog.All)
            Assert.Contains($"`{type.Uri}`", description, StringComparison.Ordinal);
        Assert.Contains("not-a-signer", description, StringComparison.Ordinal);

        JsonNode scheme = document["components"]!["securitySchemes"]!["NEAR"]!;
        Assert.Equal("http", scheme["type"]!.GetValue<string>());
        Assert.Equal("NEAR", scheme["scheme"]!.GetValue<string>());
        Assert.Contains("2147484061", scheme["description"]!.GetValue<string>(), StringComparison.Ordinal);
        JsonArray signSecurity = document["paths"]!["/v1/accounts/{account}/sign/{chain}"]!["post"]!["security"]!.AsArray();
        Assert.Single(signSecurity);
        Assert.NotNull(signSecurity[0]!["NEAR"]);
    }

    [Fact]
    public async Task The_reference_page_is_served_in_Development_only()
    {
        await using (KeystoreServer production = await KeystoreServer.StartAsync())
        {
            using HttpResponseMessage r = await production.Client.GetAsync("/scalar/v1");
            Assert.Equal(HttpStatusCode.NotFound, r.StatusCode);
        }
        await using KeystoreServer development = await KeystoreServer.StartAsync(configure: b => b.Environment.EnvironmentName = "Development");
        using HttpResponseMessage page = await development.Client.GetAsync("/scalar/v1");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("scalar", await page.Content.ReadAsStringAsync(), StringComparison.OrdinalIgnoreCase);
    }
}
