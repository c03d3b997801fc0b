using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Keystore.Tests.Support;

namespace Keystore.Tests.Webhooks;

/// <summary>
/// Webhooks end to end: a real keystore posts to a real HTTP receiver on loopback, and the receiver's checks are made by
/// Node's own crypto (tests/oracles/webhook-signature.mjs), as an integrator's receiver would make them.
/// </summary>
public class WebhookDeliveryTests
{
    private const string Owner = KeystoreServer.Owner;
    private const string WebhookPath = $"/v1/accounts/{Owner}/webhook";

    internal static Dictionary<string, string?> LoopbackSettings(string? maxAttempts = null) => new()
    {
        ["Keystore:Webhooks:AllowInsecureLoopback"] = "true",
        ["Keystore:Webhooks:RetryDelay"] = "00:00:00.050",
        ["Keystore:Webhooks:MaxRetryDelay"] = "00:00:00.200",
        ["Keystore:Webhooks:Timeout"] = "00:00:02",
        ["Keystore:Webhooks:MaxAttempts"] = maxAttempts ?? "6",
    };

    internal static async Task<HttpResponseMessage> SendAsync(KeystoreServer server, HttpMethod method, string path, string? body, NSec.Cryptography.Key? key = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null) request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        request.Headers.TryAddWithoutValidation("Authorization", "NEAR " + KeystoreServer.Credential(method.Method, path, Encoding.UTF8.GetBytes(body ?? ""), Owner, key ?? server.OwnerKey));
        return await server.Client.SendAsync(request);
    }

    /// <summary>PUTs the webhook and returns the secret it answered.</summary>
    internal static async Task<string> SetWebhookAsync(KeystoreServer server, string url, params string[] events)
    {
        string body = new JsonObject { ["url"] = url, ["events"] = new JsonArray(events.Select(e => (JsonNode?)e).ToArray()) }.ToJsonString();
        using HttpResponseMessage response = await SendAsync(server, HttpMethod.Put, WebhookPath, body);
        string text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, text);
        Assert.True(response.Headers.CacheControl?.NoStore, "the answer with the secret must not be cached");
        string secret = JsonNode.Parse(text)!["secret"]!.GetValue<string>();
        Assert.Equal(32, Convert.FromBase64String(secret.Replace('-', '+').Replace('_', '/') + "=").Length);
        return secret;
    }

    private static async Task<JsonArray> VerifyWithNodeAsync(IEnumerable<(string Secret, string Header, byte[] Body, long Now)> items) =>
        (await NodeOracle.RunAsync("webhook-signature.mjs", new JsonObject
        {
            ["items"] = new JsonArray(items.Select(i => (JsonNode?)new JsonObject
            {
                ["secret"] = i.Secret, ["header"] = i.Header, ["body"] = Convert.ToBase64String(i.Body), ["now"] = i.Now,
            }).ToArray()),
        }))["results"]!.AsArray();

    [Fact]
    public async Task A_signed_request_is_posted_to_the_webhook_with_a_signature_an_independent_receiver_verifies()
    {
        await using WebhookReceiver receiver = await WebhookReceiver.StartAsync();
        await using KeystoreServer server = await KeystoreServer.StartAsync(LoopbackSettings());
        string secret = await SetWebhookAsync(server, receiver.Url, "signed", "pending", "rejected");

        const string signBody = """{"message":"pay the invoice"}""";
        using (HttpResponseMessage signed = await server.Client.SendAsync(server.SignedPost($"/v1/accounts/{Owner}/sign/ethereum", signBody)))
            Assert.Equal(HttpStatusCode.OK, signed.StatusCode);

        WebhookReceiver.Received delivery = await receiver.NextAsync();
        long now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        Assert.Equal("/hooks/keystore", delivery.Path);
        Assert.Equal("application/json", delivery.ContentType);
        Assert.Equal("signed", delivery.Event);
        JsonNode body = JsonNode.Parse(delivery.Body)!;
        Assert.Equal(delivery.Delivery, body["id"]!.GetValue<string>());
        Assert.Matches("^[0-9a-f]{32}$", delivery.Delivery!);
        Assert.Equal(Owner, body["account"]!.GetValue<string>());
        Assert.Equal("signed", body["kind"]!.GetValue<string>());
        Assert.Equal("ethereum", body["chain"]!.GetValue<string>());
        // The payload as its hash only (computed here from the bytes we sent), never the message itself.
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(signBody))), body["payloadHash"]!.GetValue<string>());
        Assert.DoesNotContain("pay the invoice", Encoding.UTF8.GetString(delivery.Body), StringComparison.Ordinal);
        Assert.Equal(["id", "account", "kind", "sequence", "at", "chain", "payloadHash"], body.AsObject().Select(p => p.Key));

        // The sequence is the audit entry's: the owner's audit page shows the same entry.
        using (HttpResponseMessage audit = await SendAsync(server, HttpMethod.Get, $"/v1/accounts/{Owner}/audit", null))
        {
            JsonNode page = JsonNode.Parse(await audit.Content.ReadAsStringAsync())!;
            Assert.Contains(page["entries"]!.AsArray(), e => e!["seq"]!.GetValue<long>() == body["sequence"]!.GetValue<long>()
                && e["entry"]!["kind"]!.GetValue<string>() == "signed");
        }

        byte[] tampered = (byte[])delivery.Body.Clone();
        tampered[^2] ^= 1;
        string wrongSecret = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        JsonArray verdicts = await VerifyWithNodeAsync(
        [
            (secret, delivery.Signature!, delivery.Body, now),
            (secret, delivery.Signature!, tampered, now),
            (wrongSecret, delivery.Signature!, delivery.Body, now),
            (secret, delivery.Signature!, delivery.Body, now + 3600),
        ]);
        Assert.Equal(["ok", "mismatch", "mismatch", "stale"], verdicts.Select(v => v!["reason"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Only_the_kinds_the_webhook_names_are_posted()
    {
        await using WebhookReceiver receiver = await WebhookReceiver.StartAsync();
        await using KeystoreServer server = await KeystoreServer.StartAsync(LoopbackSettings());
        await SetWebhookAsync(server, receiver.Url, "frozen", "denied");

        using (HttpResponseMessage changed = await SendAsync(server, HttpMethod.Put, $"/v1/accounts/{Owner}/policy", """{"frozen":false}"""))
            Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
        using (HttpResponseMessage signed = await server.Client.SendAsync(server.SignedPost($"/v1/accounts/{Owner}/sign/ethereum", """{"message":"x"}""")))
            Assert.Equal(HttpStatusCode.OK, signed.StatusCode);
        using (HttpResponseMessage frozen = await SendAsync(server, HttpMethod.Put, $"/v1/accounts/{Owner}/policy", """{"frozen":true}"""))
            Assert.Equal(HttpStatusCode.OK, frozen.StatusCode);
        // A frozen account's signature is denied, with its rule.
        using (HttpResponseMessage denied = await server.Client.SendAsync(server.SignedPost($"/v1/accounts/{Owner}/sign/ethereum", """{"message":"y"}""")))
            Assert.Equal(HttpStatusCode.Forbidden, denied.StatusCode);

        WebhookReceiver.Received[] deliveries = [await receiver.NextAsync(), await receiver.NextAsync()];
        Assert.Equal(["denied", "frozen"], deliveries.Select(d => d.Event).Order(StringComparer.Ordinal));
        Assert.Equal("account-freeze", JsonNode.Parse(deliveries.Single(d => d.Event == "denied").Body)!["rule"]!.GetValue<string>());
        // policy-changed and signed were not asked for: nothing else arrives.
        await Assert.ThrowsAsync<TimeoutException>(() => receiver.NextAsync(TimeSpan.FromSeconds(1)));
    }

    [Fact]
    public async Task A_receiver_answering_500_gets_the_same_delivery_again_until_it_answers_200()
    {
        await using WebhookReceiver receiver = await WebhookReceiver.StartAsync(500, 503);
        await using KeystoreServer server = await KeystoreServer.StartAsync(LoopbackSettings());
        string secret = await SetWebhookAsync(server, receiver.Url, "signed");
        using (HttpResponseMessage signed = await server.Client.SendAsync(server.SignedPost($"/v1/accounts/{Owner}/sign/ethereum", """{"message":"retry me"}""")))
            Assert.Equal(HttpStatusCode.OK, signed.StatusCode);

        WebhookReceiver.Received first = await receiver.NextAsync(), second = await receiver.NextAsync(), third = await receiver.NextAsync();
        Assert.Equal([500, 503, 200], new[] { first.AnsweredStatus, second.AnsweredStatus, third.AnsweredStatus });
        Assert.Equal(first.Delivery, second.Delivery);
        Assert.Equal(first.Delivery, third.Delivery);
        Assert.Equal(first.Body, third.Body);
        long now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        JsonArray verdicts = await VerifyWithNodeAsync([(secret, first.Signature!, first.Body, now), (secret, third.Signature!, third.Body, now)]);
        Assert.All(verdicts, v => Assert.True(v!["valid"]!.GetValue<bool>()));
        // Delivered: nothing more comes for it.
        await Assert.ThrowsAsync<TimeoutException>(() => receiver.NextAsync(TimeSpan.FromSeconds(1)));
    }

    [Fact]
    public async Task A_receiver_that_keeps_failing_gets_at_most_MaxAttempts_tries_and_signing_goes_on()
    {
        await using WebhookReceiver receiver = await WebhookReceiver.StartAsync(Enumerable.Repeat(500, 100).ToArray());
        await using KeystoreServer server = await KeystoreServer.StartAsync(LoopbackSettings(maxAttempts: "3"));
        await SetWebhookAsync(server, receiver.Url, "signed");
        using (HttpResponseMessage signed = await server.Client.SendAsync(server.SignedPost($"/v1/accounts/{Owner}/sign/ethereum", """{"message":"doomed"}""")))
            Assert.Equal(HttpStatusCode.OK, signed.StatusCode);
        for (int i = 0; i < 3; i++)
            Assert.Equal(500, (await receiver.NextAsync()).AnsweredStatus);
        await Assert.ThrowsAsync<TimeoutException>(() => receiver.NextAsync(TimeSpan.FromSeconds(2)));
        Assert.Single(receiver.All.Select(r => r.Delivery).Distinct());
    }

    [Fact]
    public async Task A_receiver_that_never_answers_does_not_hold_up_signing()
    {
        await using WebhookReceiver receiver = await WebhookReceiver.StartAsync();
        receiver.Delay = TimeSpan.FromMinutes(5);
        await using KeystoreServer server = await KeystoreServer.StartAsync(LoopbackSettings(maxAttempts: "1"));
        await SetWebhookAsync(server, receiver.Url, "signed");
        for (int i = 0; i < 5; i++)
        {
            using HttpResponseMessage signed = await server.Client.SendAsync(server.SignedPost($"/v1/accounts/{Owner}/sign/ethereum", $$"""{"message":"m{{i}}"}"""));
            Assert.Equal(HttpStatusCode.OK, signed.StatusCode);
        }
        // Each delivery reached the receiver and is hanging there while the signatures were all answered.
        for (int i = 0; i < 5; i++)
            Assert.Equal("signed", (await receiver.NextAsync()).Event);
    }
}
