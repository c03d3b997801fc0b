using System.Text;
using Keystore.Agents;
using Keystore.Boot;
using Keystore.Configuration;
using Keystore.Problems;
using Keystore.State;
using Keystore.TestSupport.State;
using Microsoft.Extensions.Options;

namespace Keystore.Tests.State;

public class StateStoreTests
{
    [Fact]
    public async Task Migrations_run_once_and_a_reopened_database_keeps_its_rows()
    {
        using var file = new TemporarySqliteFile();
        string path = file.Path;
        await using (StateTestStore first = await StateTestStore.SqliteAsync(path))
            await new AgentStore(first.Store, Options.Create(first.Options)).SetAccountPolicyAsync("alice.near", true, null, CancellationToken.None);
        await using StateTestStore again = await StateTestStore.SqliteAsync(path);
        long migrations = await again.Store.ReadAsync(async c => Convert.ToInt64(await StateDatabase.ScalarAsync(c, null, "SELECT COUNT(*) FROM schema_migrations", CancellationToken.None)), CancellationToken.None);
        Assert.Equal(StateMigrations.All("BLOB").Count, migrations);
        AccountPolicy policy = await new AgentStore(again.Store, Options.Create(again.Options)).GetAccountPolicyAsync("alice.near", CancellationToken.None);
        Assert.True(policy.Frozen);
    }

    [Fact]
    public async Task Migration_7_moves_SQLite_reservations_to_a_table_without_the_unique_id_index_and_every_committed_amount_still_counts()
    {
        using var file = new TemporarySqliteFile();
        string path = file.Path;
        DateTimeOffset now = DateTimeOffset.UtcNow;
        WindowCharge Daily(long amount) => new("daily-eth", TimeSpan.FromDays(1), 1_000_000, amount, "daily");
        await using (StateTestStore db = await StateTestStore.SqliteAsync(path))
        {
            var windows = new SingleWriterSpendingWindows(db.Store);
            foreach (long amount in new long[] { 100, 250, 4_000 })
                await windows.CommitAloneAsync(db.Store, await windows.ReserveAsync("alice.near", [Daily(amount)], now));
            await windows.CommitAloneAsync(db.Store, await windows.ReserveAsync("bob.near", [Daily(7)], now));
            // Back to the layout of schema version 6 (the id as primary key), rows kept: what a keystore before this one left.
            await db.Store.WriteAsync(new byte[8], async (c, t) =>
            {
                foreach (string sql in new[]
                {
                    "CREATE TABLE reservations_v6 (reservation_id BLOB PRIMARY KEY, account_id BLOB NOT NULL, keep_until BIGINT NOT NULL, sealed BLOB NOT NULL, tag BIGINT NOT NULL DEFAULT 0)",
                    "INSERT INTO reservations_v6 SELECT reservation_id, account_id, keep_until, sealed, tag FROM reservations",
                    "DROP TABLE reservations",
                    "ALTER TABLE reservations_v6 RENAME TO reservations",
                    "CREATE INDEX reservations_by_account ON reservations (account_id, keep_until, tag)",
                    "CREATE INDEX reservations_by_expiry ON reservations (keep_until)",
                    "DELETE FROM schema_migrations WHERE version >= 7",
                })
                    await StateDatabase.ExecuteAsync(c, t, sql, CancellationToken.None);
                return 0;
            }, CancellationToken.None);
            Assert.Equal(1, await UniqueIndexesOnReservationsAsync(db.Store));
        }

        await using StateTestStore again = await StateTestStore.SqliteAsync(path);
        Assert.Equal(0, await UniqueIndexesOnReservationsAsync(again.Store));
        var reopened = new SingleWriterSpendingWindows(again.Store);
        Assert.Equal(4_350, (await reopened.GetTotalsAsync("alice.near", [Daily(0)], now.AddMinutes(10)))[0].Current);
        Assert.Equal(7, (await reopened.GetTotalsAsync("bob.near", [Daily(0)], now.AddMinutes(10)))[0].Current);
        // New commits land in the new table and count alongside the moved ones.
        await reopened.CommitAloneAsync(again.Store, await reopened.ReserveAsync("alice.near", [Daily(650)], now));
        Assert.Equal(5_000, (await new SingleWriterSpendingWindows(again.Store).GetTotalsAsync("alice.near", [Daily(0)], now.AddMinutes(10)))[0].Current);
    }

    private static Task<long> UniqueIndexesOnReservationsAsync(StateStore store) =>
        store.ReadAsync(async c => Convert.ToInt64(await StateDatabase.ScalarAsync(c, null,
            "SELECT COUNT(*) FROM pragma_index_list('reservations') WHERE \"unique\" = 1", CancellationToken.None)), CancellationToken.None);

    [Fact]
    public async Task A_database_sealed_under_another_master_secret_is_refused_at_open()
    {
        using var file = new TemporarySqliteFile();
        string path = file.Path;
        await using (await StateTestStore.SqliteAsync(path)) { }
        BootFailureException refused = await Assert.ThrowsAsync<BootFailureException>(() => StateTestStore.SqliteAsync(path, master: new byte[32]));
        Assert.False(refused.Retryable);
        Assert.Contains("another master secret", refused.Message);
    }

    [Fact]
    public async Task A_database_migrated_by_a_newer_keystore_is_refused()
    {
        using var file = new TemporarySqliteFile();
        string path = file.Path;
        await using (StateTestStore db = await StateTestStore.SqliteAsync(path))
            await db.Store.WriteAsync(new byte[8], (c, t) => StateDatabase.ExecuteAsync(c, t, "INSERT INTO schema_migrations VALUES (99, 0)", CancellationToken.None), CancellationToken.None);
        BootFailureException refused = await Assert.ThrowsAsync<BootFailureException>(() => StateTestStore.SqliteAsync(path));
        Assert.Contains("schema version 99", refused.Message);
    }

    [Fact]
    public async Task The_PostgreSQL_store_migrates_once_when_two_instances_open_it_together()
    {
        string database = await TestPostgres.CreateDatabaseAsync();
        Task<StateTestStore>[] opening = [StateTestStore.PostgresAsync(database), StateTestStore.PostgresAsync(database)];
        StateTestStore[] stores = await Task.WhenAll(opening);
        try
        {
            long migrations = await stores[0].Store.ReadAsync(async c => Convert.ToInt64(await StateDatabase.ScalarAsync(c, null, "SELECT COUNT(*) FROM schema_migrations", CancellationToken.None)), CancellationToken.None);
            Assert.Equal(StateMigrations.All("BYTEA").Count, migrations);
        }
        finally
        {
            foreach (StateTestStore s in stores) await s.DisposeAsync();
        }
    }

    [Fact]
    public async Task The_database_file_shows_no_account_agent_key_policy_or_amount()
    {
        using var file = new TemporarySqliteFile();
        string path = file.Path;
        const string account = "secretive-owner.near";
        const string agentKey = "ed25519:9ZK3iNnd9U1WqcGYqnF4dPdLhU7n1cEjbMCKyMR2nJrN";
        await using (StateTestStore db = await StateTestStore.SqliteAsync(path))
        {
            var agents = new AgentStore(db.Store, Options.Create(db.Options));
            await agents.CreateAgentAsync(account, agentKey, "treasury-bot", DateTimeOffset.UtcNow.AddDays(1), """{"allowTo":"0xfeedfacefeedfacefeedfacefeedfacefeedface"}""", CancellationToken.None);
            await agents.SetAccountPolicyAsync(account, false, """{"globalLimit":"123456789123456789"}""", CancellationToken.None);
            var windows = new SingleWriterSpendingWindows(db.Store);
            await windows.CommitAloneAsync(db.Store, await windows.ReserveAsync(account, [new WindowCharge("daily-eth", TimeSpan.FromDays(1), 999_999_999_999, 777_777_777_777, "daily")], DateTimeOffset.UtcNow));
            await new NonceStore(db.Store).TryUseAsync(account, new byte[32], agentKey: false, new byte[32], DateTimeOffset.UtcNow.AddMinutes(5), 10, CancellationToken.None);
            await new IdempotencyStore(db.Store).BeginAsync(account, "order-4711", new byte[32], CancellationToken.None);
        }
        byte[] bytes = await File.ReadAllBytesAsync(path);
        if (File.Exists(path + "-wal")) bytes = [.. bytes, .. await File.ReadAllBytesAsync(path + "-wal")];
        string text = Encoding.Latin1.GetString(bytes);
        foreach (string secret in new[] { account, "secretive", agentKey[8..], "treasury-bot", "feedface", "123456789123456789", "daily-eth", "777777777777", "order-4711" })
            Assert.DoesNotContain(secret, text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Until_the_store_is_open_its_users_answer_not_ready()
    {
        var state = new KeystoreState(TimeProvider.System);
        await using var store = new StateStore(new StateSealer(state), Options.Create(new KeystoreOptions()), TimeProvider.System,
            Microsoft.Extensions.Logging.Abstractions.NullLogger<StateStore>.Instance);
        ProblemException refused = await Assert.ThrowsAsync<ProblemException>(() => store.ReadAsync(_ => Task.FromResult(0), CancellationToken.None));
        Assert.Equal("not-ready", refused.Problem.Slug);
    }
}
