using System.Data.Common;
using System.Security.Cryptography;
using System.Text;
using Keystore.Problems;
using Keystore.State;
using Keystore.Tests.State;
using Keystore.TestSupport.State;
using Keystore.Webhooks;

namespace Keystore.Tests.Webhooks;

/// <summary>The webhooks table: sealed like every other row, on both engines, and bound to its account.</summary>
public class WebhookStoreTests
{
    private static async Task<StateTestStore> OpenAsync(string provider) => provider == "sqlite"
        ? await StateTestStore.SqliteAsync()
        : await StateTestStore.PostgresAsync(await TestPostgres.CreateDatabaseAsync());

    private static Task<List<byte[]>> RawRowsAsync(StateTestStore db) => db.Store.ReadAsync(async c =>
    {
        await using DbCommand command = StateDatabase.Command(c, null, "SELECT sealed FROM webhooks");
        await using DbDataReader reader = await command.ExecuteReaderAsync();
        var rows = new List<byte[]>();
        while (await reader.ReadAsync()) rows.Add((byte[])reader.GetValue(0));
        return rows;
    }, CancellationToken.None);

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task A_webhook_is_stored_sealed_replaced_and_removed(string provider)
    {
        await using StateTestStore db = await OpenAsync(provider);
        var store = new WebhookStore(db.Store);
        byte[] secret = RandomNumberGenerator.GetBytes(32);
        DateTimeOffset created = DateTimeOffset.FromUnixTimeSeconds(1_800_000_000);
        await store.SetAsync("alice.near", new WebhookRegistration("https://hooks.example.com/k?token=abc", ["pending", "signed"], (byte[])secret.Clone(), created), CancellationToken.None);

        WebhookRegistration read = (await store.GetAsync("alice.near", CancellationToken.None))!;
        Assert.Equal("https://hooks.example.com/k?token=abc", read.Url);
        Assert.Equal(["pending", "signed"], read.Events);
        Assert.Equal(secret, read.Secret);
        Assert.Equal(created, read.CreatedAt);
        Assert.Null(await store.GetAsync("bob.near", CancellationToken.None));

        // What the operator sees: neither the URL nor the secret.
        byte[] row = Assert.Single(await RawRowsAsync(db));
        Assert.DoesNotContain("hooks.example.com", Encoding.UTF8.GetString(row), StringComparison.Ordinal);
        Assert.False(row.AsSpan().IndexOf(secret) >= 0);

        await store.SetAsync("alice.near", new WebhookRegistration("https://other.example.com/", ["rejected"], RandomNumberGenerator.GetBytes(32), created), CancellationToken.None);
        Assert.Equal("https://other.example.com/", (await store.GetAsync("alice.near", CancellationToken.None))!.Url);
        Assert.Single(await RawRowsAsync(db));

        Assert.True(await store.DeleteAsync("alice.near", CancellationToken.None));
        Assert.Null(await store.GetAsync("alice.near", CancellationToken.None));
        Assert.False(await store.DeleteAsync("alice.near", CancellationToken.None));
    }

    [Fact]
    public async Task A_webhook_row_copied_to_another_account_does_not_open()
    {
        await using StateTestStore db = await StateTestStore.SqliteAsync();
        var store = new WebhookStore(db.Store);
        await store.SetAsync("alice.near", new WebhookRegistration("https://attacker.example.com/", ["signed"], RandomNumberGenerator.GetBytes(32), DateTimeOffset.UtcNow), CancellationToken.None);
        await store.SetAsync("bob.near", new WebhookRegistration("https://bob.example.com/", ["signed"], RandomNumberGenerator.GetBytes(32), DateTimeOffset.UtcNow), CancellationToken.None);
        byte[] alice = db.Store.AccountId("alice.near"), bob = db.Store.AccountId("bob.near");
        await db.Store.WriteAsync(bob, async (c, t) =>
            await StateDatabase.ExecuteAsync(c, t, "UPDATE webhooks SET sealed = (SELECT sealed FROM webhooks WHERE account_id = @a) WHERE account_id = @b", CancellationToken.None,
                ("@a", alice), ("@b", bob)), CancellationToken.None);

        ProblemException refused = await Assert.ThrowsAsync<ProblemException>(() => store.GetAsync("bob.near", CancellationToken.None));
        Assert.Equal("state-tampered", refused.Problem.Slug);
    }
}
