using System.Numerics;
using Keystore.Problems;
using Keystore.State;
using Keystore.Tests.Support;
using Keystore.TestSupport.State;

namespace Keystore.Tests.State;

/// <summary>
/// The windows of SQLite's one keystore process: reservations in memory, the commit as the request's one write, and what a
/// restart reads back. (The rules every implementation keeps are in <see cref="SpendingWindowTests"/>, run on both.)
/// </summary>
public class SingleWriterSpendingWindowTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 2, 12, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Day = TimeSpan.FromDays(1);

    private static WindowCharge Daily(BigInteger limit, BigInteger amount) => new("daily-eth", Day, limit, amount, "rule-daily");

    private static WindowCharge Hourly(BigInteger limit, BigInteger amount) => new("hourly-eth", TimeSpan.FromHours(1), limit, amount, "rule-hourly");

    /// <summary>Rows inserted, updated or deleted on the store's one connection since it opened.</summary>
    private static Task<long> ChangesAsync(StateStore store) =>
        store.ReadAsync(async c => Convert.ToInt64(await StateDatabase.ScalarAsync(c, null, "SELECT total_changes()", CancellationToken.None)), CancellationToken.None);

    private static Task<long> RowsAsync(StateStore store) =>
        store.ReadAsync(async c => Convert.ToInt64(await StateDatabase.ScalarAsync(c, null, "SELECT COUNT(*) FROM reservations", CancellationToken.None)), CancellationToken.None);

    [Fact]
    public async Task A_reservation_and_a_release_write_nothing_and_a_commit_writes_one_row()
    {
        await using StateTestStore db = await StateTestStore.SqliteAsync(clock: new ManualClock(T0));
        var windows = new SingleWriterSpendingWindows(db.Store);
        await windows.GetTotalsAsync("alice.near", [Daily(100, 0)], T0); // loads the account
        long before = await ChangesAsync(db.Store);

        WindowReservation released = await windows.ReserveAsync("alice.near", [Daily(100, 30)], T0);
        await windows.ReleaseAsync(released);
        WindowReservation committed = await windows.ReserveAsync("alice.near", [Daily(100, 30), Hourly(50, 30)], T0);
        Assert.Equal(before, await ChangesAsync(db.Store));

        await windows.CommitAloneAsync(db.Store, committed);
        Assert.Equal(before + 1, await ChangesAsync(db.Store));
        Assert.Equal(1, await RowsAsync(db.Store));
    }

    [Fact]
    public async Task A_signing_failure_after_a_reservation_in_memory_leaves_the_window_as_it_was()
    {
        await using StateTestStore db = await StateTestStore.SqliteAsync(clock: new ManualClock(T0));
        var windows = new SingleWriterSpendingWindows(db.Store);
        await windows.CommitAloneAsync(db.Store, await windows.ReserveAsync("alice.near", [Daily(100, 40)], T0));

        WindowReservation held = await windows.ReserveAsync("alice.near", [Daily(100, 60)], T0);
        Assert.True(held.Reserved);
        // While it is held, it counts (a dry run and every other reservation see it).
        Assert.Equal(100, (await windows.GetTotalsAsync("alice.near", [Daily(100, 0)], T0))[0].Current);
        Assert.False((await windows.ReserveAsync("alice.near", [Daily(100, 1)], T0)).Reserved);

        // The signature failed: the guard releases the hold.
        await windows.ReleaseAsync(held);
        Assert.Equal(40, (await windows.GetTotalsAsync("alice.near", [Daily(100, 0)], T0))[0].Current);
        Assert.Equal(1, await RowsAsync(db.Store));
        Assert.True((await windows.ReserveAsync("alice.near", [Daily(100, 60)], T0)).Reserved);
    }

    [Fact]
    public async Task A_restart_reloads_exactly_the_committed_rows()
    {
        using var file = new TemporarySqliteFile();
        string path = file.Path;
        await using (StateTestStore first = await StateTestStore.SqliteAsync(path, clock: new ManualClock(T0)))
        {
            var windows = new SingleWriterSpendingWindows(first.Store);
            await windows.CommitAloneAsync(first.Store, await windows.ReserveAsync("alice.near", [Daily(1000, 10)], T0 - TimeSpan.FromHours(3)));
            await windows.CommitAloneAsync(first.Store, await windows.ReserveAsync("alice.near", [Daily(1000, 20), Hourly(500, 20)], T0 - TimeSpan.FromMinutes(30)));
            await windows.CommitAloneAsync(first.Store, await windows.ReserveAsync("alice.near", [Daily(1000, 300)], T0 - Day - TimeSpan.FromMinutes(1)));
            await windows.CommitAloneAsync(first.Store, await windows.ReserveAsync("bob.near", [Daily(1000, 7)], T0));
            await windows.ReleaseAsync(await windows.ReserveAsync("alice.near", [Daily(1000, 400)], T0));
            // Held when the process ended: never written, so it is gone with the process.
            Assert.True((await windows.ReserveAsync("alice.near", [Daily(1000, 500)], T0)).Reserved);
        }

        await using StateTestStore second = await StateTestStore.SqliteAsync(path, clock: new ManualClock(T0));
        var reloaded = new SingleWriterSpendingWindows(second.Store);
        IReadOnlyList<WindowTotal> totals = await reloaded.GetTotalsAsync("alice.near", [Daily(1000, 0), Hourly(500, 0)], T0);
        Assert.Equal(30, totals[0].Current);
        Assert.Equal(20, totals[1].Current);
        Assert.Equal(7, (await reloaded.GetTotalsAsync("bob.near", [Daily(1000, 0)], T0))[0].Current);
        // Exactly: the limit is reached to the unit and not passed.
        Assert.True((await reloaded.ReserveAsync("alice.near", [Daily(1000, 970)], T0)).Reserved);
        WindowReservation over = await reloaded.ReserveAsync("alice.near", [Daily(1000, 1)], T0);
        Assert.False(over.Reserved);
        Assert.Equal(1000, over.Exceeded!.Current);
    }

    [Fact]
    public async Task A_row_the_host_duplicates_counts_once_and_a_copy_under_another_id_is_refused()
    {
        await using StateTestStore db = await StateTestStore.SqliteAsync(clock: new ManualClock(T0));
        var windows = new SingleWriterSpendingWindows(db.Store);
        await windows.CommitAloneAsync(db.Store, await windows.ReserveAsync("alice.near", [Daily(100, 60)], T0));
        // Ids are not unique in the table (migration 7): the same row twice is the same reservation.
        await db.Store.ExecuteStatementAsync("INSERT INTO reservations SELECT * FROM reservations", CancellationToken.None);
        Assert.Equal(2, await RowsAsync(db.Store));
        var restarted = new SingleWriterSpendingWindows(db.Store);
        Assert.Equal(60, (await restarted.GetTotalsAsync("alice.near", [Daily(100, 0)], T0))[0].Current);
        Assert.True((await restarted.ReserveAsync("alice.near", [Daily(100, 40)], T0)).Reserved);

        // The same sealed amount under a new id does not open: it cannot be made to count twice.
        await db.Store.ExecuteStatementAsync("INSERT INTO reservations (reservation_id, account_id, keep_until, tag, sealed) "
            + "SELECT randomblob(16), account_id, keep_until, tag, sealed FROM reservations LIMIT 1", CancellationToken.None);
        ProblemException refused = await Assert.ThrowsAsync<ProblemException>(() => new SingleWriterSpendingWindows(db.Store).GetTotalsAsync("alice.near", [Daily(100, 0)], T0));
        Assert.Equal("state-tampered", refused.Problem.Slug);
    }

    [Fact]
    public async Task A_held_row_written_by_the_shared_design_counts_until_its_hold_lapses()
    {
        var clock = new ManualClock(T0);
        await using StateTestStore db = await StateTestStore.SqliteAsync(clock: clock);
        // A database an earlier keystore left: a reservation row inserted as held, never committed.
        Assert.True((await new SharedSpendingWindows(db.Store).ReserveAsync("alice.near", [Daily(100, 100)], T0)).Reserved);
        var windows = new SingleWriterSpendingWindows(db.Store);
        Assert.False((await windows.ReserveAsync("alice.near", [Daily(100, 1)], T0 + TimeSpan.FromMinutes(5))).Reserved);
        Assert.True((await windows.ReserveAsync("alice.near", [Daily(100, 1)], T0 + TimeSpan.FromMinutes(5) + TimeSpan.FromMilliseconds(1))).Reserved);
    }

    [Fact]
    public async Task A_tampered_row_is_refused_when_an_account_is_loaded_while_the_running_process_counts_what_it_wrote()
    {
        await using StateTestStore db = await StateTestStore.SqliteAsync(clock: new ManualClock(T0));
        var windows = new SingleWriterSpendingWindows(db.Store);
        await windows.CommitAloneAsync(db.Store, await windows.ReserveAsync("alice.near", [Daily(1000, 1)], T0));
        await windows.CommitAloneAsync(db.Store, await windows.ReserveAsync("alice.near", [Daily(1000, 900)], T0));
        // Someone with the database overwrites the large reservation with the small one's sealed value.
        await db.Store.WriteAsync(new byte[8], async (c, t) =>
            await StateDatabase.ExecuteAsync(c, t, "UPDATE reservations SET sealed = (SELECT sealed FROM reservations ORDER BY rowid LIMIT 1)", CancellationToken.None),
            CancellationToken.None);

        // Loaded anew (a restart): the swapped row does not open under its own identity.
        ProblemException refused = await Assert.ThrowsAsync<ProblemException>(() => new SingleWriterSpendingWindows(db.Store).ReserveAsync("alice.near", [Daily(1000, 1)], T0));
        Assert.Equal("state-tampered", refused.Problem.Slug);
        // The running process never reads its own rows back: 901 + 100 > 1000.
        WindowReservation warm = await windows.ReserveAsync("alice.near", [Daily(1000, 100)], T0);
        Assert.False(warm.Reserved);
        Assert.Equal(901, warm.Exceeded!.Current);
    }

    [Fact]
    public async Task A_commit_whose_write_fails_drops_its_hold_and_the_rows_are_read_again()
    {
        await using StateTestStore db = await StateTestStore.SqliteAsync(clock: new ManualClock(T0));
        var windows = new SingleWriterSpendingWindows(db.Store);
        await windows.CommitAloneAsync(db.Store, await windows.ReserveAsync("alice.near", [Daily(100, 40)], T0));
        WindowReservation held = await windows.ReserveAsync("alice.near", [Daily(100, 60)], T0);
        // The database refuses the insert (as a full disk or a lost file would).
        await db.Store.ExecuteStatementAsync("CREATE TRIGGER refuse_inserts BEFORE INSERT ON reservations BEGIN SELECT RAISE(ABORT, 'disk I/O error'); END", CancellationToken.None);

        ProblemException failed = await Assert.ThrowsAsync<ProblemException>(() => windows.CommitAloneAsync(db.Store, held));
        Assert.Equal("state-unavailable", failed.Problem.Slug);
        Assert.Equal(40, (await windows.GetTotalsAsync("alice.near", [Daily(100, 0)], T0))[0].Current);
        Assert.True((await windows.ReserveAsync("alice.near", [Daily(100, 60)], T0)).Reserved);
    }

    [Fact]
    public async Task Parallel_reservations_commits_and_releases_on_one_account_never_pass_the_limit_and_a_restart_counts_exactly_the_commits()
    {
        using var file = new TemporarySqliteFile();
        string path = file.Path;
        BigInteger limit = 1_000_000, amount = 7_001;
        int committed;
        await using (StateTestStore db = await StateTestStore.SqliteAsync(path))
        {
            var windows = new SingleWriterSpendingWindows(db.Store);
            // A third of the admitted ones fail to sign (released): their amounts go back to the window for the others.
            bool[] results = await Task.WhenAll(Enumerable.Range(0, 1000).Select(i => Task.Run(async () =>
            {
                WindowReservation r = await windows.ReserveAsync("alice.near", [Daily(limit, amount)], DateTimeOffset.UtcNow);
                if (!r.Reserved) return false;
                if (i % 3 == 0)
                {
                    await windows.ReleaseAsync(r);
                    return false;
                }
                await windows.CommitAloneAsync(db.Store, r);
                return true;
            })));
            committed = results.Count(c => c);
            // Never one more than fits (how many of the released amounts found a later taker depends on timing).
            Assert.InRange(committed, 1, (int)(limit / amount));
            Assert.Equal(committed, await RowsAsync(db.Store));
        }
        await using StateTestStore again = await StateTestStore.SqliteAsync(path);
        IReadOnlyList<WindowTotal> totals = await new SingleWriterSpendingWindows(again.Store).GetTotalsAsync("alice.near", [Daily(limit, 0)], DateTimeOffset.UtcNow);
        Assert.Equal(amount * committed, totals[0].Current);
    }

    [Fact]
    public async Task The_keystore_keeps_SQLite_windows_in_memory_and_a_fleet_s_in_PostgreSQL()
    {
        await using (KeystoreServer sqlite = await KeystoreServer.StartAsync())
            Assert.IsType<SingleWriterSpendingWindows>(sqlite.Services.GetRequiredService<ISpendingWindows>());
        string database = await TestPostgres.CreateDatabaseAsync();
        await using KeystoreServer postgres = await KeystoreServer.StartAsync(new Dictionary<string, string?>
        {
            ["Keystore:State:Provider"] = "postgres",
            ["Keystore:State:ConnectionString"] = database,
        });
        Assert.IsType<SharedSpendingWindows>(postgres.Services.GetRequiredService<ISpendingWindows>());
    }
}
