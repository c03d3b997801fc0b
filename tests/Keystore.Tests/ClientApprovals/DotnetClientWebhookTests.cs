using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Keystore.Tests.Support;
using static Keystore.Tests.ClientApprovals.ClientApprovalNetwork;

namespace Keystore.Tests.ClientApprovals;

/// <summary>
/// The C# client's webhook methods against the real keystore, and its <see cref="WebhookSignatureVerifier.Verify"/> in a real
/// receiver: real deliveries of an approval flow are accepted, a tampered, stale or foreign-keyed one refused, with the same
/// verdicts as an independent verifier on Node's crypto (tests/oracles/webhook-signature.mjs).
/// </summary>
public sealed class DotnetClientWebhookTests : IAsyncLifetime
{
    private ClientApprovalNetwork _network = null!;

    public async Task InitializeAsync() => _network = await StartAsync();

    public async Task DisposeAsync() => await _network.DisposeAsync();

    [Fact]
    public async Task A_webhook_set_through_the_client_delivers_an_approval_flow_that_the_clients_verifier_accepts_and_a_tampered_body_is_refused()
    {
        await using VerifyingWebhookReceiver receiver = await VerifyingWebhookReceiver.StartAsync();
        var recorder = new RecordingHandler();
        using var http = new HttpClient(recorder) { BaseAddress = _network.Server.Client.BaseAddress };
        var owner = new KeystoreClient(http, Owner, _network.KeyOf(Owner));

        CreatedWebhook set = await owner.SetWebhookAsync(receiver.Url, ["pending", "approved", "signed", "rejected"]);
        Assert.Equal((Owner, receiver.Url), (set.Account, set.Url));
        Assert.Equal(["pending", "approved", "signed", "rejected"], set.Events);
        Assert.Equal(32, Convert.FromBase64String(set.Secret.Replace('-', '+').Replace('_', '/') + "=").Length);
        Assert.DoesNotContain(set.Secret, set.ToString(), StringComparison.Ordinal);
        receiver.Secret = set.Secret;

        WebhookInfo got = await owner.GetWebhookAsync();
        Assert.Equal((set.Url, set.CreatedAt), (got.Url, got.CreatedAt));
        Assert.Equal(set.Events, got.Events);
        Assert.Null(JsonNode.Parse(recorder.LastBody)!["secret"]);
        Assert.DoesNotContain(set.Secret, recorder.LastBody, StringComparison.Ordinal);

        // An approval flow driven by the clients: pending, two approvals, the signature — each delivery verified on arrival.
        (KeystoreClient agent, NearKeyPair agentKey) = await _network.NewAgentAsync();
        using NearKeyPair disposeAgentKey = agentKey;
        var pending = await Assert.ThrowsAsync<ApprovalPendingException>(() => agent.SignEthereumTransactionAsync(Transfer("200000000000000000", 0)));
        await _network.As("bob.near").ApproveAsync(Owner, pending.RequestId, pending.PayloadHash);
        await _network.As("carol.near").ApproveAsync(Owner, pending.RequestId, pending.PayloadHash);
        var deliveries = new List<(VerifyingWebhookReceiver.Received Raw, WebhookNotification Parsed)>();
        while (deliveries.Count < 4)
        {
            VerifyingWebhookReceiver.Received received = await receiver.NextAsync();
            Assert.True(received.Accepted, $"refused: {received.Signature} {Encoding.UTF8.GetString(received.Body)}");
            WebhookNotification delivery = WebhookNotification.Parse(received.Body);
            Assert.Equal((received.Event, received.DeliveryId), (delivery.Kind, delivery.Id));
            deliveries.Add((received, delivery));
        }
        Assert.Equal(["approved", "approved", "pending", "signed"], deliveries.Select(d => d.Parsed.Kind).Order(StringComparer.Ordinal));
        Assert.All(deliveries, d => Assert.Equal((Owner, pending.PayloadHash, "ethereum"), (d.Parsed.Account, d.Parsed.PayloadHash, d.Parsed.Chain)));
        Assert.All(deliveries.Where(d => d.Parsed.Kind != "signed"), d => Assert.Equal(pending.RequestId, d.Parsed.RequestId));
        AuditPage audit = await owner.GetAuditAsync(new AuditQuery { Agent = agentKey.PublicKey });
        Assert.Equal(audit.Entries.Where(e => e.Entry["kind"]!.GetValue<string>() is "pending" or "approved" or "signed").Select(e => e.Seq),
            deliveries.Select(d => d.Parsed.Sequence).Order());

        // Replayed to the receiver: the exact delivery is accepted, the same header over a changed body refused.
        (VerifyingWebhookReceiver.Received signedRaw, _) = deliveries.Single(d => d.Parsed.Kind == "signed");
        byte[] tampered = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(signedRaw.Body).Replace("\"signed\"", "\"denied\"", StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.OK, await PostAsync(receiver.Url, signedRaw.Signature, signedRaw.Body));
        Assert.True((await receiver.NextAsync()).Accepted);
        Assert.Equal(HttpStatusCode.BadRequest, await PostAsync(receiver.Url, signedRaw.Signature, tampered));
        Assert.False((await receiver.NextAsync()).Accepted);
        Assert.Equal(HttpStatusCode.BadRequest, await PostAsync(receiver.Url, null, signedRaw.Body));
        Assert.False((await receiver.NextAsync()).Accepted);

        // A new PUT makes a new secret: the old deliveries no longer verify with it.
        CreatedWebhook replaced = await owner.SetWebhookAsync(receiver.Url, ["rejected"]);
        Assert.NotEqual(set.Secret, replaced.Secret);
        Assert.False(WebhookSignatureVerifier.Verify(replaced.Secret, signedRaw.Signature, signedRaw.Body));
        Assert.Equal(["rejected"], (await owner.GetWebhookAsync()).Events);

        WebhookDeletion deleted = await owner.DeleteWebhookAsync();
        Assert.Equal((Owner, true), (deleted.Account, deleted.Deleted));
        var none = await Assert.ThrowsAsync<KeystoreRequestException>(() => owner.GetWebhookAsync());
        Assert.Equal((404, "webhook-not-found"), (none.Status, none.Slug));
        var again = await Assert.ThrowsAsync<KeystoreRequestException>(() => owner.DeleteWebhookAsync());
        Assert.Equal((404, "webhook-not-found"), (again.Status, again.Slug));
    }

    [Fact]
    public async Task The_clients_verifier_gives_the_verdicts_of_an_independent_Node_verifier_on_a_real_delivery_and_its_alterations()
    {
        await using VerifyingWebhookReceiver receiver = await VerifyingWebhookReceiver.StartAsync();
        KeystoreClient owner = _network.As(Owner);
        CreatedWebhook set = await owner.SetWebhookAsync(receiver.Url, ["agent-added"]);
        receiver.Secret = set.Secret;
        (_, NearKeyPair agentKey) = await _network.NewAgentAsync();
        agentKey.Dispose();
        VerifyingWebhookReceiver.Received real = await receiver.NextAsync();
        Assert.True(real.Accepted);
        long t = long.Parse(real.Signature!.Split(',')[0]["t=".Length..], System.Globalization.CultureInfo.InvariantCulture);
        CreatedWebhook other = await owner.SetWebhookAsync(receiver.Url, ["agent-added"]);

        byte[] flipped = [.. real.Body];
        flipped[^2] ^= 1;
        string v1 = real.Signature.Split(',')[1];
        var cases = new (string Secret, string Header, byte[] Body, long Now, int Tolerance)[]
        {
            (set.Secret, real.Signature, real.Body, t, 300),
            (set.Secret, real.Signature, real.Body, t + 299, 300),
            (set.Secret, real.Signature, real.Body, t - 301, 300),
            (set.Secret, real.Signature, real.Body, t + 3600, 300),
            (set.Secret, real.Signature, real.Body, t + 3600, 7200),
            (set.Secret, real.Signature, flipped, t, 300),
            (set.Secret, real.Signature, [.. real.Body, (byte)' '], t, 300),
            (other.Secret, real.Signature, real.Body, t, 300),
            (set.Secret, $"t={t + 1},{v1}", real.Body, t, 300),
            (set.Secret, $"t={t},v1={new string('0', 64)}", real.Body, t, 300),
            (set.Secret, $"t={t}", real.Body, t, 300),
            (set.Secret, v1, real.Body, t, 300),
            (set.Secret, $"t=x{t},{v1}", real.Body, t, 300),
            (set.Secret, $"t={t},{v1[..^1]}", real.Body, t, 300),
            (set.Secret, "", real.Body, t, 300),
        };
        JsonNode oracle = await NodeOracle.RunAsync("webhook-signature.mjs", new JsonObject
        {
            ["items"] = new JsonArray(cases.Select(c => (JsonNode?)new JsonObject
            {
                ["secret"] = c.Secret, ["header"] = c.Header, ["body"] = Convert.ToBase64String(c.Body), ["now"] = c.Now, ["toleranceSeconds"] = c.Tolerance,
            }).ToArray()),
        });
        bool[] expected = oracle["results"]!.AsArray().Select(r => r!["valid"]!.GetValue<bool>()).ToArray();
        bool[] actual = cases.Select(c => WebhookSignatureVerifier.Verify(c.Secret, c.Header, c.Body, TimeSpan.FromSeconds(c.Tolerance),
            DateTimeOffset.FromUnixTimeSeconds(c.Now))).ToArray();
        Assert.Equal(expected, actual);
        Assert.Equal([true, true, false, false, true], actual[..5]);
        Assert.DoesNotContain(true, actual[5..]);
        Assert.Throws<ArgumentException>(() => WebhookSignatureVerifier.Verify("not base64url!", real.Signature, real.Body));
        await owner.DeleteWebhookAsync();
    }

    [Fact]
    public async Task Webhook_refusals_come_back_as_typed_problems()
    {
        (KeystoreClient agent, NearKeyPair agentKey) = await _network.NewAgentAsync();
        using NearKeyPair disposeAgentKey = agentKey;
        var byAgent = await Assert.ThrowsAsync<KeystoreAuthorizationException>(() => agent.SetWebhookAsync("http://127.0.0.1:9/hook", ["signed"]));
        Assert.Equal((403, "owner-only"), (byAgent.Status, byAgent.Slug));
        KeystoreClient owner = _network.As(Owner);
        var unknownEvent = await Assert.ThrowsAsync<KeystoreRequestException>(() => owner.SetWebhookAsync("http://127.0.0.1:9/hook", ["everything"]));
        Assert.Equal((400, "invalid-webhook"), (unknownEvent.Status, unknownEvent.Slug));
        var inside = await Assert.ThrowsAsync<KeystoreRequestException>(() => owner.SetWebhookAsync("https://169.254.169.254/latest", ["signed"]));
        Assert.Equal((400, "webhook-url-refused"), (inside.Status, inside.Slug));
        var stranger = await Assert.ThrowsAsync<KeystoreAuthorizationException>(() => new KeystoreClient(_network.Server.Client, Owner, _network.KeyOf("bob.near")).GetWebhookAsync());
        Assert.Equal(403, stranger.Status);
    }

    private async Task<HttpStatusCode> PostAsync(string url, string? signature, byte[] body)
    {
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ByteArrayContent(body) };
        if (signature is not null) request.Headers.TryAddWithoutValidation(WebhookSignatureVerifier.Header, signature);
        using HttpResponseMessage response = await http.SendAsync(request);
        return response.StatusCode;
    }

    /// <summary>Passes requests to the keystore and keeps the last answer's body, to see what crossed the wire.</summary>
    private sealed class RecordingHandler() : DelegatingHandler(new SocketsHttpHandler())
    {
        public string LastBody { get; private set; } = "";

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            HttpResponseMessage response = await base.SendAsync(request, cancellationToken);
            LastBody = await response.Content.ReadAsStringAsync(cancellationToken);
            return response;
        }
    }
}
