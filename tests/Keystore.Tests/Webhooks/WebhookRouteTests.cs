using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Keystore.Tests.Support;
using Keystore.TestSupport.Logging;
using Microsoft.Extensions.Logging;
using NSec.Cryptography;

namespace Keystore.Tests.Webhooks;

/// <summary>The owner's webhook routes: what they accept, what they refuse (and why), and where the secret never shows.</summary>
public class WebhookRouteTests
{
    private const string Owner = KeystoreServer.Owner;
    private const string WebhookPath = $"/v1/accounts/{Owner}/webhook";

    private static async Task<(HttpStatusCode Status, JsonNode? Body, string? ContentType)> CallAsync(KeystoreServer server, HttpMethod method, string? body, Key? key = null)
    {
        using HttpResponseMessage response = await WebhookDeliveryTests.SendAsync(server, method, WebhookPath, body, key);
        string text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? null : JsonNode.Parse(text), response.Content.Headers.ContentType?.MediaType);
    }

    [Theory]
    [InlineData("http://93.184.215.14/hook", "must use https")]
    [InlineData("ftp://93.184.215.14/hook", "must use https")]
    [InlineData("https://127.0.0.1/hook", "not a public address")]
    [InlineData("https://localhost:8443/hook", "not a public address")]
    [InlineData("https://169.254.169.254/latest/meta-data/", "not a public address")]
    [InlineData("https://[fd00:ec2::254]/latest/meta-data/", "not a public address")]
    [InlineData("https://[::ffff:169.254.169.254]/", "not a public address")]
    [InlineData("https://10.0.0.7/hook", "not a public address")]
    [InlineData("https://172.20.1.1/hook", "not a public address")]
    [InlineData("https://192.168.1.1/hook", "not a public address")]
    [InlineData("https://100.100.100.200/latest/meta-data/", "not a public address")]
    [InlineData("https://0.0.0.0/hook", "not a public address")]
    [InlineData("https://[::1]/hook", "not a public address")]
    [InlineData("https://[fe80::1]/hook", "not a public address")]
    [InlineData("https://[2002:a9fe:a9fe::1]/hook", "not a public address")]
    [InlineData("https://2130706433/hook", "not a public address")]
    [InlineData("https://0x7f.1/hook", "not a public address")]
    [InlineData("https://user:password@93.184.215.14/hook", "user name or password")]
    [InlineData("https://93.184.215.14/hook#frag", "fragment")]
    [InlineData("https://no-such-host.invalid/hook", "does not resolve")]
    [InlineData("/relative/hook", "absolute https URL")]
    [InlineData("https://93.184.215.14/a b", "spaces or control")]
    public async Task Webhook_URLs_that_could_reach_the_keystore_s_own_network_are_refused(string url, string reason)
    {
        await using KeystoreServer server = await KeystoreServer.StartAsync();
        var (status, body, contentType) = await CallAsync(server, HttpMethod.Put, new JsonObject { ["url"] = url, ["events"] = new JsonArray("signed") }.ToJsonString());
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("application/problem+json", contentType);
        Assert.Equal("urn:near-tee-keystore:problem:webhook-url-refused", body!["type"]!.GetValue<string>());
        Assert.Contains(reason, body["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await CallAsync(server, HttpMethod.Get, null)).Status);
    }

    [Fact]
    public async Task Loopback_over_http_is_allowed_only_with_AllowInsecureLoopback()
    {
        const string body = """{"url":"http://127.0.0.1:9/hook","events":["signed"]}""";
        await using (KeystoreServer strict = await KeystoreServer.StartAsync())
            Assert.Equal(HttpStatusCode.BadRequest, (await CallAsync(strict, HttpMethod.Put, body)).Status);
        await using KeystoreServer loose = await KeystoreServer.StartAsync(new Dictionary<string, string?> { ["Keystore:Webhooks:AllowInsecureLoopback"] = "true" });
        Assert.Equal(HttpStatusCode.OK, (await CallAsync(loose, HttpMethod.Put, body)).Status);
        // Even then, http to anything but loopback is refused.
        var (status, problem, _) = await CallAsync(loose, HttpMethod.Put, """{"url":"http://93.184.215.14/hook","events":["signed"]}""");
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("loopback addresses only", problem!["detail"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Hostile_bodies_are_refused_with_a_problem_and_never_a_5xx()
    {
        await using KeystoreServer server = await KeystoreServer.StartAsync();
        string[] bodies =
        [
            "", "null", "[]", "\"https://93.184.215.14/\"", "{}", "{not json", "{\"url\":\"https://93.184.215.14/\",\"url\":\"https://93.184.215.14/\",\"events\":[\"signed\"]}",
            """{"url":123,"events":["signed"]}""", """{"url":"https://93.184.215.14/","events":"signed"}""", """{"url":"https://93.184.215.14/","events":[]}""",
            """{"url":"https://93.184.215.14/","events":["everything"]}""", """{"url":"https://93.184.215.14/","events":["signed","signed"]}""",
            """{"url":"https://93.184.215.14/","events":[null]}""", """{"url":"https://93.184.215.14/","events":[["signed"]]}""",
            """{"url":"https://93.184.215.14/","events":["signed"],"secret":"mine"}""", """{"url":null,"events":["signed"]}""",
            "{\"url\":\"https://93.184.215.14/\\u0000\",\"events\":[\"signed\"]}", "{\"url\":\"\\ud800\",\"events\":[\"signed\"]}",
            "{\"url\":\"https://93.184.215.14/" + new string('a', 3000) + "\",\"events\":[\"signed\"]}",
            "{\"url\":\"https://93.184.215.14/\",\"events\":[" + string.Join(',', Enumerable.Repeat("\"signed\"", 40)) + "]}",
            "{\"url\":\"https://93.184.215.14/\",\"events\":[\"signed\"],\"x\":" + new string('[', 200) + new string(']', 200) + "}",
            """{"url":"","events":["signed"]}""", """{"url":"https://","events":["signed"]}""", """{"url":"https://[::1","events":["signed"]}""",
        ];
        foreach (string body in bodies)
        {
            var (status, problem, contentType) = await CallAsync(server, HttpMethod.Put, body);
            Assert.True(status == HttpStatusCode.BadRequest, $"{body[..Math.Min(body.Length, 80)]}: {(int)status} {problem?.ToJsonString()}");
            Assert.Equal("application/problem+json", contentType);
            Assert.Matches("^urn:near-tee-keystore:problem:(invalid-json|invalid-request|invalid-webhook|webhook-url-refused)$", problem!["type"]!.GetValue<string>());
        }
        // GET and DELETE take no body; a missing or wrong credential is 401, an unknown account 400: never a 5xx.
        using (var get = new HttpRequestMessage(HttpMethod.Get, WebhookPath) { Content = new StringContent("{}") })
        {
            get.Headers.TryAddWithoutValidation("Authorization", "NEAR " + KeystoreServer.Credential("GET", WebhookPath, "{}"u8.ToArray(), Owner, server.OwnerKey));
            using HttpResponseMessage response = await server.Client.SendAsync(get);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        }
        using (HttpResponseMessage unsigned = await server.Client.PutAsync(WebhookPath, new StringContent("""{"url":"https://93.184.215.14/","events":["signed"]}""")))
            Assert.Equal(HttpStatusCode.Unauthorized, unsigned.StatusCode);
        using (HttpResponseMessage garbage = await server.Client.SendAsync(new HttpRequestMessage(HttpMethod.Delete, WebhookPath) { Headers = { { "Authorization", "NEAR !!!" } } }))
            Assert.Equal(HttpStatusCode.Unauthorized, garbage.StatusCode);
        using (HttpResponseMessage badAccount = await server.Client.GetAsync("/v1/accounts/NOT..AN..ACCOUNT/webhook"))
            Assert.True((int)badAccount.StatusCode is 400 or 401, badAccount.StatusCode.ToString());
        Assert.Equal(HttpStatusCode.NotFound, (await CallAsync(server, HttpMethod.Delete, null)).Status);
    }

    [Fact]
    public async Task Only_a_full_access_key_of_the_account_may_use_the_webhook_routes()
    {
        await using KeystoreServer server = await KeystoreServer.StartAsync();
        using var stranger = Key.Create(SignatureAlgorithm.Ed25519);
        var (status, problem, _) = await CallAsync(server, HttpMethod.Put, """{"url":"https://93.184.215.14/","events":["signed"]}""", stranger);
        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.Equal("urn:near-tee-keystore:problem:not-account-owner", problem!["type"]!.GetValue<string>());

        // An agent key of the account is not enough either.
        using var agentKey = Key.Create(SignatureAlgorithm.Ed25519);
        string agentId = new Keystore.Near.Keys.Ed25519PublicKey(agentKey.PublicKey.Export(KeyBlobFormat.RawPublicKey)).ToString();
        string register = $$$"""{"publicKey":"{{{agentId}}}","name":"bot","expiresAt":"2030-01-01T00:00:00Z","policy":{"kind":"agent","version":1,"rules":[]}}""";
        using (HttpResponseMessage created = await WebhookDeliveryTests.SendAsync(server, HttpMethod.Post, $"/v1/accounts/{Owner}/agents", register))
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        foreach (HttpMethod method in new[] { HttpMethod.Put, HttpMethod.Get, HttpMethod.Delete })
        {
            var (agentStatus, agentProblem, _) = await CallAsync(server, method, method == HttpMethod.Put ? """{"url":"https://93.184.215.14/","events":["signed"]}""" : null, agentKey);
            Assert.Equal(HttpStatusCode.Forbidden, agentStatus);
            Assert.Equal("urn:near-tee-keystore:problem:owner-only", agentProblem!["type"]!.GetValue<string>());
        }
    }

    [Fact]
    public async Task The_secret_is_answered_once_and_never_by_GET_nor_in_any_log_record()
    {
        var log = new CapturedLog();
        await using WebhookReceiver receiver = await WebhookReceiver.StartAsync(500);
        await using KeystoreServer server = await KeystoreServer.StartAsync(
            new Dictionary<string, string?>(WebhookDeliveryTests.LoopbackSettings()) { ["Logging:LogLevel:Default"] = "Trace" },
            builder =>
            {
                builder.Logging.ClearProviders();
                builder.Logging.SetMinimumLevel(LogLevel.Trace);
                builder.Logging.AddProvider(log);
            });
        string secret = await WebhookDeliveryTests.SetWebhookAsync(server, receiver.Url, "signed", "webhook-removed");
        byte[] secretBytes = Convert.FromBase64String(secret.Replace('-', '+').Replace('_', '/') + "=");

        var (status, described, _) = await CallAsync(server, HttpMethod.Get, null);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(["account", "url", "events", "createdAt"], described!.AsObject().Select(p => p.Key));
        Assert.Equal(receiver.Url, described["url"]!.GetValue<string>());
        Assert.Equal(["signed", "webhook-removed"], described["events"]!.AsArray().Select(e => e!.GetValue<string>()));

        using (HttpResponseMessage signed = await server.Client.SendAsync(server.SignedPost($"/v1/accounts/{Owner}/sign/ethereum", """{"message":"hi"}""")))
            Assert.Equal(HttpStatusCode.OK, signed.StatusCode);
        Assert.Equal(500, (await receiver.NextAsync()).AnsweredStatus);
        Assert.Equal(200, (await receiver.NextAsync()).AnsweredStatus);
        var (deletedStatus, deleted, _) = await CallAsync(server, HttpMethod.Delete, null);
        Assert.Equal(HttpStatusCode.OK, deletedStatus);
        Assert.True(deleted!["deleted"]!.GetValue<bool>());
        Assert.Equal(HttpStatusCode.NotFound, (await CallAsync(server, HttpMethod.Get, null)).Status);

        // Audit entries for the change hold the URL's hash, not the URL; the owner's audit page has no secret either.
        using HttpResponseMessage audit = await WebhookDeliveryTests.SendAsync(server, HttpMethod.Get, $"/v1/accounts/{Owner}/audit", null);
        string auditText = await audit.Content.ReadAsStringAsync();
        Assert.Contains("webhook-set", auditText, StringComparison.Ordinal);
        Assert.Contains("webhook-removed", auditText, StringComparison.Ordinal);

        SecretScanner scanner = new SecretScanner().AddBytes("webhook secret", secretBytes);
        Assert.Empty(scanner.Find(described.ToJsonString()));
        Assert.Empty(scanner.Find(auditText));
        Assert.NotEmpty(log.Records);
        foreach (CapturedLogRecord record in log.Records)
            Assert.Empty(scanner.Find(record.Text));
    }
}
