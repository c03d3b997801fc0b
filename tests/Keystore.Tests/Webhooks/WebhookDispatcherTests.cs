using System.Net;
using System.Security.Cryptography;
using Keystore.Audit;
using Keystore.Configuration;
using Keystore.Tests.State;
using Keystore.TestSupport.State;
using Keystore.Webhooks;
using Microsoft.Extensions.Logging.Abstractions;

namespace Keystore.Tests.Webhooks;

/// <summary>The dispatcher below HTTP: its bounded queue, its backoff, and the address check it makes at every connection.</summary>
public class WebhookDispatcherTests
{
    private static WebhookDispatcher Dispatcher(StateTestStore db, WebhookOptions webhooks)
    {
        var options = Microsoft.Extensions.Options.Options.Create(new KeystoreOptions { Webhooks = webhooks });
        return new WebhookDispatcher(new WebhookStore(db.Store), new WebhookAddressPolicy(options), options, TimeProvider.System, NullLogger<WebhookDispatcher>.Instance);
    }

    private static AuditEntry Entry(long sequence) =>
        new(sequence, DateTimeOffset.UtcNow, new byte[32], new byte[32], RandomNumberGenerator.GetBytes(32), new byte[64]);

    [Fact]
    public async Task A_full_queue_drops_the_oldest_deliveries_and_counts_them()
    {
        await using StateTestStore db = await StateTestStore.SqliteAsync();
        await using WebhookReceiver receiver = await WebhookReceiver.StartAsync();
        await new WebhookStore(db.Store).SetAsync("alice.near", new WebhookRegistration(receiver.Url, ["signed"], RandomNumberGenerator.GetBytes(32), DateTimeOffset.UtcNow), CancellationToken.None);
        using WebhookDispatcher dispatcher = Dispatcher(db, new WebhookOptions { AllowInsecureLoopback = true, QueueCapacity = 2 });

        // Not started yet: nothing drains the queue, as when the receivers are slower than the decisions.
        for (long seq = 1; seq <= 5; seq++)
            dispatcher.Appended(new AuditEvent("alice.near", AuditKinds.Signed), Entry(seq));
        Assert.Equal(3, dispatcher.DroppedCount);

        await dispatcher.StartAsync(CancellationToken.None);
        long[] delivered = [.. (await Task.WhenAll(receiver.NextAsync(), receiver.NextAsync())).Select(r => System.Text.Json.Nodes.JsonNode.Parse(r.Body)!["sequence"]!.GetValue<long>()).Order()];
        Assert.Equal([4L, 5L], delivered);
        await dispatcher.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task A_host_that_resolves_to_a_refused_address_at_delivery_time_is_not_contacted()
    {
        // The webhook was stored while its name pointed elsewhere (DNS rebinding): the connection itself is checked.
        await using StateTestStore db = await StateTestStore.SqliteAsync();
        await using WebhookReceiver receiver = await WebhookReceiver.StartAsync();
        await new WebhookStore(db.Store).SetAsync("alice.near", new WebhookRegistration(receiver.Url.Replace("127.0.0.1", "localhost", StringComparison.Ordinal), ["signed"],
            RandomNumberGenerator.GetBytes(32), DateTimeOffset.UtcNow), CancellationToken.None);
        using WebhookDispatcher strict = Dispatcher(db, new WebhookOptions { AllowInsecureLoopback = false, MaxAttempts = 3, RetryDelay = TimeSpan.FromMilliseconds(10) });
        await strict.DeliverAsync(WebhookDelivery.From(new AuditEvent("alice.near", AuditKinds.Signed), Entry(1)), CancellationToken.None);
        Assert.Empty(receiver.All);

        // The same delivery through a dispatcher that allows loopback arrives: the refusal above was the address check.
        using WebhookDispatcher loose = Dispatcher(db, new WebhookOptions { AllowInsecureLoopback = true });
        await loose.DeliverAsync(WebhookDelivery.From(new AuditEvent("alice.near", AuditKinds.Signed), Entry(1)), CancellationToken.None);
        Assert.Single(receiver.All);
    }

    [Fact]
    public void A_delivery_body_holds_only_the_entry_s_public_fields_and_the_approval_request_it_is_about()
    {
        var pending = new AuditEvent("alice.near", "pending")
        {
            Agent = "ed25519:6E8sCci9badyRkXb3JoRpBj5p8C6Tw41ELDZoiihKEtp",
            Chain = "ethereum",
            Rule = "big-payments",
            PayloadHash = SHA256.HashData("payload"u8),
            Amounts = [KeyValuePair.Create("eth:1", "5000000000000000000")],
            Destinations = ["0x9858EfFD232B4033E47d90003D41EC34EcaEda94"],
            Detail = "approval Zx_9-aQ: 2 of 3",
        };
        WebhookDelivery delivery = WebhookDelivery.From(pending, Entry(7));
        string text = System.Text.Encoding.UTF8.GetString(delivery.Body);
        System.Text.Json.Nodes.JsonNode body = System.Text.Json.Nodes.JsonNode.Parse(text)!;
        Assert.Equal(["id", "account", "kind", "sequence", "at", "chain", "payloadHash", "rule", "requestId"], body.AsObject().Select(p => p.Key));
        Assert.Equal("Zx_9-aQ", body["requestId"]!.GetValue<string>());
        Assert.Equal(7, body["sequence"]!.GetValue<long>());
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData("payload"u8)), body["payloadHash"]!.GetValue<string>());
        foreach (string withheld in new[] { "0x9858", "5000000000000000000", "ed25519:", "2 of 3" })
            Assert.DoesNotContain(withheld, text, StringComparison.Ordinal);

        Assert.Null(WebhookDelivery.RequestId("frozen=true"));
        Assert.Null(WebhookDelivery.RequestId("approval <id>: x"));
        Assert.Null(WebhookDelivery.RequestId("agent version 3"));
        Assert.Equal("abc", WebhookDelivery.RequestId("approval abc"));
        Assert.False(System.Text.Json.Nodes.JsonNode.Parse(WebhookDelivery.From(new AuditEvent("alice.near", "frozen") { Detail = "frozen=true" }, Entry(8)).Body)!.AsObject().ContainsKey("requestId"));
    }

    [Fact]
    public async Task Retries_wait_exponentially_longer_up_to_the_cap()
    {
        await using StateTestStore db = await StateTestStore.SqliteAsync();
        using WebhookDispatcher dispatcher = Dispatcher(db, new WebhookOptions { RetryDelay = TimeSpan.FromSeconds(2), MaxRetryDelay = TimeSpan.FromSeconds(20) });
        Assert.Equal([2.0, 4, 8, 16, 20, 20], Enumerable.Range(1, 6).Select(n => dispatcher.Backoff(n).TotalSeconds));
    }

    [Theory]
    [InlineData("93.184.215.14", true)]
    [InlineData("8.8.8.8", true)]
    [InlineData("2606:4700:4700::1111", true)]
    [InlineData("127.0.0.1", false)]
    [InlineData("127.8.9.10", false)]
    [InlineData("10.255.255.255", false)]
    [InlineData("172.16.0.1", false)]
    [InlineData("172.31.255.255", false)]
    [InlineData("172.32.0.1", true)]
    [InlineData("192.168.0.1", false)]
    [InlineData("169.254.169.254", false)]
    [InlineData("100.64.0.1", false)]
    [InlineData("100.127.255.255", false)]
    [InlineData("100.128.0.1", true)]
    [InlineData("0.0.0.0", false)]
    [InlineData("224.0.0.1", false)]
    [InlineData("255.255.255.255", false)]
    [InlineData("198.18.0.1", false)]
    [InlineData("192.0.2.1", false)]
    [InlineData("::1", false)]
    [InlineData("::", false)]
    [InlineData("::ffff:10.0.0.1", false)]
    [InlineData("::ffff:8.8.8.8", true)]
    [InlineData("fe80::1", false)]
    [InlineData("fc00::1", false)]
    [InlineData("fd00:ec2::254", false)]
    [InlineData("ff02::1", false)]
    [InlineData("64:ff9b::a9fe:a9fe", false)]
    [InlineData("2001:db8::1", false)]
    [InlineData("2001:0:4136:e378:8000:63bf:3fff:fdd2", false)]
    [InlineData("2002:a9fe:a9fe::1", false)]
    [InlineData("2002:0808:0808::1", true)]
    public void Only_public_unicast_addresses_may_receive_webhooks(string address, bool allowed)
    {
        Assert.Equal(allowed, WebhookAddressPolicy.IsAllowed(IPAddress.Parse(address), allowLoopback: false));
        Assert.Equal(allowed || IPAddress.IsLoopback(IPAddress.Parse(address)), WebhookAddressPolicy.IsAllowed(IPAddress.Parse(address), allowLoopback: true));
    }
}
