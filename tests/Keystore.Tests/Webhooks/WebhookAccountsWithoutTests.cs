using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Keystore.Audit;
using Keystore.Configuration;
using Keystore.Tests.State;
using Keystore.Tests.Support;
using Keystore.TestSupport.State;
using Keystore.Webhooks;
using Microsoft.Extensions.Logging.Abstractions;

namespace Keystore.Tests.Webhooks;

/// <summary>
/// Accounts without a webhook (most of them): their audit entries cost the dispatcher no read of the store each, and a
/// webhook set meanwhile, through this instance or another one on the same database, still gets its deliveries.
/// </summary>
public class WebhookAccountsWithoutTests
{
    private static readonly DateTimeOffset Start = DateTimeOffset.FromUnixTimeSeconds(1_800_000_000);

    private static WebhookDispatcher Dispatcher(WebhookStore store)
    {
        var options = Microsoft.Extensions.Options.Options.Create(new KeystoreOptions { Webhooks = new WebhookOptions { AllowInsecureLoopback = true } });
        return new WebhookDispatcher(store, new WebhookAddressPolicy(options), options, TimeProvider.System, NullLogger<WebhookDispatcher>.Instance);
    }

    private static AuditEntry Entry(long sequence) =>
        new(sequence, DateTimeOffset.UtcNow, new byte[32], new byte[32], RandomNumberGenerator.GetBytes(32), new byte[64]);

    private static WebhookRegistration Hook(WebhookReceiver receiver) =>
        new(receiver.Url, [AuditKinds.Signed], RandomNumberGenerator.GetBytes(32), DateTimeOffset.UtcNow);

    private static long SequenceOf(WebhookReceiver.Received delivery) => JsonNode.Parse(delivery.Body)!["sequence"]!.GetValue<long>();

    /// <summary>The dispatcher works in the background: waits until the store has been read <paramref name="reads"/> times.</summary>
    private static async Task ReadsReachAsync(WebhookStore store, long reads)
    {
        for (int i = 0; store.Reads < reads; i++)
        {
            Assert.True(i < 1000, $"the store was read {store.Reads} times, not {reads}");
            await Task.Delay(10);
        }
    }

    [Fact]
    public async Task An_account_without_a_webhook_is_read_once_then_its_entries_cost_no_read_and_deliver_nothing()
    {
        var clock = new ManualClock(Start);
        await using StateTestStore db = await StateTestStore.SqliteAsync(clock: clock);
        await using WebhookReceiver receiver = await WebhookReceiver.StartAsync();
        var store = new WebhookStore(db.Store);
        await store.SetAsync("alice.near", Hook(receiver), CancellationToken.None);
        using WebhookDispatcher dispatcher = Dispatcher(store);
        await dispatcher.StartAsync(CancellationToken.None);

        dispatcher.Appended(new AuditEvent("bob.near", AuditKinds.Signed), Entry(1));
        await ReadsReachAsync(store, 1);
        Assert.True(store.KnownWithoutWebhook("bob.near"));
        for (long seq = 2; seq <= 200; seq++)
            dispatcher.Appended(new AuditEvent("bob.near", AuditKinds.Signed), Entry(seq));
        // An account with a webhook, after them: once its delivery arrived, everything queued before it was handled.
        dispatcher.Appended(new AuditEvent("alice.near", AuditKinds.Signed), Entry(201));
        Assert.Equal(201, SequenceOf(await receiver.NextAsync()));
        Assert.Single(receiver.All);
        Assert.Equal(2, store.Reads);
        Assert.False(store.KnownWithoutWebhook("alice.near"));

        // Past the recheck time the account is read again (once), in case a webhook was set elsewhere.
        clock.Advance(WebhookStore.NoWebhookRecheck + TimeSpan.FromMilliseconds(1));
        Assert.False(store.KnownWithoutWebhook("bob.near"));
        dispatcher.Appended(new AuditEvent("bob.near", AuditKinds.Signed), Entry(202));
        await ReadsReachAsync(store, 3);
        Assert.True(store.KnownWithoutWebhook("bob.near"));
        await dispatcher.StopAsync(CancellationToken.None);
        Assert.Single(receiver.All);
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task A_webhook_set_on_this_instance_delivers_at_once_and_one_set_on_another_instance_within_the_recheck_time(string provider)
    {
        var clock = new ManualClock(Start);
        string? postgres = provider == "postgres" ? await TestPostgres.CreateDatabaseAsync() : null;
        await using StateTestStore db = postgres is null ? await StateTestStore.SqliteAsync(clock: clock) : await StateTestStore.PostgresAsync(postgres, clock);
        // The other instance: its own store and webhook store on the same database (SQLite allows one store a file per
        // process, so there the two instances' webhook stores share it; each keeps its own memory of accounts without one).
        await using StateTestStore? otherDb = postgres is null ? null : await StateTestStore.PostgresAsync(postgres, clock);
        await using WebhookReceiver receiver = await WebhookReceiver.StartAsync();
        var here = new WebhookStore(db.Store);
        var there = new WebhookStore((otherDb ?? db).Store);
        using WebhookDispatcher dispatcher = Dispatcher(here);
        await dispatcher.StartAsync(CancellationToken.None);

        dispatcher.Appended(new AuditEvent("bob.near", AuditKinds.Signed), Entry(1));
        dispatcher.Appended(new AuditEvent("carol.near", AuditKinds.Signed), Entry(2));
        await ReadsReachAsync(here, 2);
        Assert.True(here.KnownWithoutWebhook("bob.near") && here.KnownWithoutWebhook("carol.near"));

        // Set through this instance: the very next entry is delivered.
        await here.SetAsync("carol.near", Hook(receiver), CancellationToken.None);
        dispatcher.Appended(new AuditEvent("carol.near", AuditKinds.Signed), Entry(3));
        Assert.Equal(3, SequenceOf(await receiver.NextAsync()));

        // Set through the other instance: this one learns of it once its "none" is older than the recheck time.
        await there.SetAsync("bob.near", Hook(receiver), CancellationToken.None);
        clock.Advance(WebhookStore.NoWebhookRecheck + TimeSpan.FromMilliseconds(1));
        dispatcher.Appended(new AuditEvent("bob.near", AuditKinds.Signed), Entry(4));
        WebhookReceiver.Received delivered = await receiver.NextAsync();
        Assert.Equal(4, SequenceOf(delivered));
        Assert.Equal("bob.near", JsonNode.Parse(delivered.Body)!["account"]!.GetValue<string>());
        await dispatcher.StopAsync(CancellationToken.None);
    }
}
