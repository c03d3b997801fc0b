using System.Security.Cryptography;
using Keystore.State;
using Keystore.TestSupport.State;

namespace Keystore.Tests.State;

/// <summary>
/// SQLite's reservations table has no index on <c>keep_until</c> (migration 8): the prune sweeps it in rowid slices. What
/// must hold whatever the table's size: every expired row goes within a bounded number of prunes, no live row ever goes,
/// and what the windows count is unchanged by a prune.
/// </summary>
public class ReservationPruneTests
{
    [Fact]
    public async Task Migration_8_drops_the_keep_until_index_on_SQLite_and_keeps_every_row()
    {
        using var file = new TemporarySqliteFile();
        string path = file.Path;
        DateTimeOffset now = DateTimeOffset.UtcNow;
        WindowCharge Daily(long amount) => new("daily-eth", TimeSpan.FromDays(1), 1_000_000, amount, "daily");
        await using (StateTestStore db = await StateTestStore.SqliteAsync(path))
        {
            var windows = new SingleWriterSpendingWindows(db.Store);
            foreach (long amount in new long[] { 100, 250 })
                await windows.CommitAloneAsync(db.Store, await windows.ReserveAsync("alice.near", [Daily(amount)], now));
            // Back to schema version 7 (the index on keep_until), rows kept.
            await db.Store.WriteAsync(new byte[8], async (c, t) =>
            {
                await StateDatabase.ExecuteAsync(c, t, "CREATE INDEX reservations_by_expiry ON reservations (keep_until)", CancellationToken.None);
                await StateDatabase.ExecuteAsync(c, t, "DELETE FROM schema_migrations WHERE version = 8", CancellationToken.None);
                return 0;
            }, CancellationToken.None);
            Assert.Equal(["reservations_by_account", "reservations_by_expiry"], await IndexesAsync(db.Store));
        }

        await using StateTestStore again = await StateTestStore.SqliteAsync(path);
        Assert.Equal(["reservations_by_account"], await IndexesAsync(again.Store));
        Assert.Equal(350, (await new SingleWriterSpendingWindows(again.Store).GetTotalsAsync("alice.near", [Daily(0)], now.AddMinutes(1)))[0].Current);
    }

    [Fact]
    public async Task A_prune_removes_every_expired_row_of_a_table_many_slices_long_and_never_a_live_one()
    {
        await using StateTestStore db = await StateTestStore.SqliteAsync();
        long now = db.Store.NowMs;
        // 2.5 sweeps' worth of rows; every third one expired, spread over the whole table.
        int total = SqliteStateDatabase.SweepRows * 5 / 2;
        await InsertRowsAsync(db.Store, total, i => i % 3 == 0 ? now - 1_000 - i : now + 3_600_000 + i);
        int expired = (total + 2) / 3;

        // A third expired is less than half a slice: each prune visits one slice, so the whole table takes one prune a slice.
        int slices = (total + SqliteStateDatabase.SweepSlice - 1) / SqliteStateDatabase.SweepSlice;
        for (int i = 0; i < slices; i++)
        {
            Assert.Equal(total - expired, await CountAsync(db.Store, "keep_until >= @now", now));
            await db.Store.PruneAsync(CancellationToken.None);
        }
        Assert.Equal(0, await CountAsync(db.Store, "keep_until < @now", now));
        Assert.Equal(total - expired, await CountAsync(db.Store, "keep_until >= @now", now));
    }

    [Fact]
    public async Task A_backlog_of_expired_rows_is_swept_several_slices_at_a_time_and_the_sweep_wraps_around()
    {
        await using StateTestStore db = await StateTestStore.SqliteAsync();
        long now = db.Store.NowMs;
        // A long-lived row first, then a backlog of expired rows: one prune goes on while most of what it visits is expired.
        await InsertRowsAsync(db.Store, 1, _ => now + 86_400_000);
        await InsertRowsAsync(db.Store, SqliteStateDatabase.SweepRows * 2, _ => now - 5);
        await db.Store.PruneAsync(CancellationToken.None);
        // It stopped after SweepRows rows: the live one and the rest of the backlog are still there.
        Assert.Equal(SqliteStateDatabase.SweepRows + 2, await CountAsync(db.Store, "1 = 1", now));

        // The next one continues where it stopped (the last expired row is one past its reach); the one after reaches the
        // end of the table and wraps, and the sweep after that starts again at the beginning.
        await db.Store.PruneAsync(CancellationToken.None);
        Assert.Equal(2, await CountAsync(db.Store, "1 = 1", now));
        await db.Store.PruneAsync(CancellationToken.None);
        Assert.Equal(1, await CountAsync(db.Store, "1 = 1", now));
        await InsertRowsAsync(db.Store, 10, _ => now - 5);
        await db.Store.PruneAsync(CancellationToken.None);
        Assert.Equal(1, await CountAsync(db.Store, "1 = 1", now));
        Assert.Equal(1, await CountAsync(db.Store, "keep_until >= @now", now));
    }

    [Fact]
    public async Task A_prune_leaves_what_the_windows_count_unchanged()
    {
        await using StateTestStore db = await StateTestStore.SqliteAsync();
        DateTimeOffset now = DateTimeOffset.UtcNow;
        WindowCharge Hourly(long amount) => new("hourly-eth", TimeSpan.FromHours(1), 1_000_000, amount, "hourly");
        var windows = new SingleWriterSpendingWindows(db.Store);
        // One every three minutes over the last two hours (half a minute off the hour's edge): the older half has left
        // the hourly window, and its rows are past keep_until.
        for (int i = 0; i < 40; i++)
            await windows.CommitAloneAsync(db.Store, await windows.ReserveAsync("alice.near", [Hourly(10)], now.AddMinutes(-i * 3).AddSeconds(-30)));
        Assert.Equal(200, (await new SingleWriterSpendingWindows(db.Store).GetTotalsAsync("alice.near", [Hourly(0)], now))[0].Current);
        await db.Store.PruneAsync(CancellationToken.None);
        Assert.Equal(20, await CountAsync(db.Store, "1 = 1", db.Store.NowMs));
        Assert.Equal(200, (await new SingleWriterSpendingWindows(db.Store).GetTotalsAsync("alice.near", [Hourly(0)], now))[0].Current);
    }

    private static Task InsertRowsAsync(StateStore store, int count, Func<int, long> keepUntil) =>
        store.WriteAsync(new byte[8], async (c, t) =>
        {
            byte[] account = RandomNumberGenerator.GetBytes(32);
            for (int i = 0; i < count; i++)
                await StateDatabase.ExecuteAsync(c, t, ReservationPayload.InsertSql, CancellationToken.None,
                    ("@id", RandomNumberGenerator.GetBytes(16)), ("@a", account), ("@k", keepUntil(i)), ("@t", 0L), ("@s", new byte[48]));
            return 0;
        }, CancellationToken.None);

    private static Task<long> CountAsync(StateStore store, string where, long now) =>
        store.ReadAsync(async c => Convert.ToInt64(await StateDatabase.ScalarAsync(c, null, $"SELECT COUNT(*) FROM reservations WHERE {where}", CancellationToken.None,
            ("@now", now))), CancellationToken.None);

    private static Task<List<string>> IndexesAsync(StateStore store) =>
        store.ReadAsync(async c =>
        {
            var names = new List<string>();
            await StateDatabase.ReadRowsAsync(c, null, "SELECT name FROM pragma_index_list('reservations') ORDER BY name", r => names.Add(r.GetString(0)), CancellationToken.None);
            return names;
        }, CancellationToken.None);
}
