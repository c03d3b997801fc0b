using System.Numerics;
using Keystore.Problems;
using Keystore.State;
using Keystore.Tests.Support;
using Keystore.TestSupport.State;

namespace Keystore.Tests.State;

public class SpendingWindowTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 2, 12, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Day = TimeSpan.FromDays(1);

    private static WindowCharge Charge(BigInteger limit, BigInteger amount, string key = "daily-eth", TimeSpan? window = null) =>
        new(key, window ?? Day, limit, amount, "rule-" + key);

    /// <summary>Both implementations: the one SQLite's single process uses, and the one a fleet on PostgreSQL uses (here on SQLite too).</summary>
    public static TheoryData<string> Kinds => new() { SingleWriter, Shared };

    private const string SingleWriter = "single-writer";
    private const string Shared = "shared";

    private static ISpendingWindows Windows(string kind, StateStore store) =>
        kind == Shared ? new SharedSpendingWindows(store) : new SingleWriterSpendingWindows(store);

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task A_thousand_parallel_reservations_on_SQLite_admit_exactly_what_fits(string kind)
    {
        await using StateTestStore db = await StateTestStore.SqliteAsync();
        ISpendingWindows windows = Windows(kind, db.Store);
        // 0.5 ETH a day, 0.0007 ETH a request: floor(500000 / 700) = 714 fit, the 715th would pass the limit.
        BigInteger limit = BigInteger.Parse("500000000000000000"), amount = BigInteger.Parse("700000000000000");
        WindowReservation[] results = await Task.WhenAll(Enumerable.Range(0, 1000).Select(_ => Task.Run(() =>
            windows.ReserveAsync("alice.near", [Charge(limit, amount)], DateTimeOffset.UtcNow))));

        Assert.Equal((int)(limit / amount), results.Count(r => r.Reserved));
        Assert.All(results.Where(r => !r.Reserved), r => Assert.Equal("rule-daily-eth", r.Exceeded!.Charge.RuleId));
        IReadOnlyList<WindowTotal> totals = await windows.GetTotalsAsync("alice.near", [Charge(limit, amount)], DateTimeOffset.UtcNow);
        Assert.Equal(amount * 714, totals[0].Current);
    }

    [Fact]
    public async Task A_thousand_parallel_reservations_through_two_PostgreSQL_instances_admit_exactly_what_fits()
    {
        string database = await TestPostgres.CreateDatabaseAsync();
        // Two stores, two connection pools: two keystore instances sharing one database.
        await using StateTestStore first = await StateTestStore.PostgresAsync(database);
        await using StateTestStore second = await StateTestStore.PostgresAsync(database);
        SharedSpendingWindows[] instances = [new(first.Store), new(second.Store)];
        BigInteger limit = 1_000_000, amount = 3_001;
        WindowReservation[] results = await Task.WhenAll(Enumerable.Range(0, 1000).Select(i => Task.Run(() =>
            instances[i % 2].ReserveAsync("alice.near", [Charge(limit, amount)], DateTimeOffset.UtcNow))));

        Assert.Equal((int)(limit / amount), results.Count(r => r.Reserved));
        Assert.True(results.Where((r, i) => r.Reserved && i % 2 == 0).Any() && results.Where((r, i) => r.Reserved && i % 2 == 1).Any(),
            "both instances admitted some");
        IReadOnlyList<WindowTotal> totals = await instances[1].GetTotalsAsync("alice.near", [Charge(limit, amount)], DateTimeOffset.UtcNow);
        Assert.Equal(amount * (limit / amount), totals[0].Current);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task A_charge_that_reaches_the_limit_exactly_passes_and_one_unit_more_is_refused(string kind)
    {
        await using StateTestStore db = await StateTestStore.SqliteAsync(clock: new ManualClock(T0));
        ISpendingWindows windows = Windows(kind, db.Store);
        Assert.True((await windows.ReserveAsync("alice.near", [Charge(100, 60)], T0)).Reserved);
        WindowReservation exact = await windows.ReserveAsync("alice.near", [Charge(100, 40)], T0);
        Assert.True(exact.Reserved);
        Assert.Equal(60, exact.Totals[0].Current);
        WindowReservation over = await windows.ReserveAsync("alice.near", [Charge(100, 1)], T0);
        Assert.False(over.Reserved);
        Assert.Equal(100, over.Exceeded!.Current);
        Assert.Equal(101, over.Exceeded.After);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task Every_charge_must_fit_or_nothing_is_held(string kind)
    {
        await using StateTestStore db = await StateTestStore.SqliteAsync(clock: new ManualClock(T0));
        ISpendingWindows windows = Windows(kind, db.Store);
        WindowReservation refused = await windows.ReserveAsync("alice.near", [Charge(100, 50, "daily"), Charge(10, 50, "hourly", TimeSpan.FromHours(1))], T0);
        Assert.False(refused.Reserved);
        Assert.Equal("rule-hourly", refused.Exceeded!.Charge.RuleId);
        // The daily window took nothing from the refused request.
        Assert.Equal(0, (await windows.GetTotalsAsync("alice.near", [Charge(100, 0, "daily")], T0))[0].Current);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task Amounts_leave_the_window_when_it_rolls_past_them(string kind)
    {
        var clock = new ManualClock(T0);
        await using StateTestStore db = await StateTestStore.SqliteAsync(clock: clock);
        ISpendingWindows windows = Windows(kind, db.Store);
        WindowReservation first = await windows.ReserveAsync("alice.near", [Charge(100, 100)], T0);
        await windows.CommitAloneAsync(db.Store, first);
        Assert.False((await windows.ReserveAsync("alice.near", [Charge(100, 1)], T0 + Day)).Reserved);
        Assert.True((await windows.ReserveAsync("alice.near", [Charge(100, 1)], T0 + Day + TimeSpan.FromMilliseconds(1))).Reserved);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task A_released_reservation_gives_its_amount_back_and_an_uncommitted_one_lapses(string kind)
    {
        await using StateTestStore db = await StateTestStore.SqliteAsync(clock: new ManualClock(T0));
        ISpendingWindows windows = Windows(kind, db.Store);
        WindowReservation held = await windows.ReserveAsync("alice.near", [Charge(100, 100)], T0);
        Assert.False((await windows.ReserveAsync("alice.near", [Charge(100, 1)], T0)).Reserved);
        await windows.ReleaseAsync(held);
        WindowReservation again = await windows.ReserveAsync("alice.near", [Charge(100, 100)], T0);
        Assert.True(again.Reserved);
        // Never committed (its signer died): it counts for the hold time, then no longer.
        Assert.False((await windows.ReserveAsync("alice.near", [Charge(100, 1)], T0 + TimeSpan.FromMinutes(5))).Reserved);
        Assert.True((await windows.ReserveAsync("alice.near", [Charge(100, 1)], T0 + TimeSpan.FromMinutes(5) + TimeSpan.FromMilliseconds(1))).Reserved);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task Accounts_have_separate_windows(string kind)
    {
        await using StateTestStore db = await StateTestStore.SqliteAsync(clock: new ManualClock(T0));
        ISpendingWindows windows = Windows(kind, db.Store);
        Assert.True((await windows.ReserveAsync("alice.near", [Charge(100, 100)], T0)).Reserved);
        Assert.True((await windows.ReserveAsync("bob.near", [Charge(100, 100)], T0)).Reserved);
    }

    [Fact]
    public async Task A_reservation_row_copied_onto_another_does_not_open()
    {
        await using StateTestStore db = await StateTestStore.SqliteAsync(clock: new ManualClock(T0));
        var windows = new SharedSpendingWindows(db.Store);
        await windows.CommitAloneAsync(db.Store, await windows.ReserveAsync("alice.near", [Charge(1000, 1)], T0));
        await windows.CommitAloneAsync(db.Store, await windows.ReserveAsync("alice.near", [Charge(1000, 900)], T0));
        // Someone with the database overwrites the large reservation with the small one's sealed value.
        await db.Store.WriteAsync(new byte[8], async (c, t) =>
            await StateDatabase.ExecuteAsync(c, t, "UPDATE reservations SET sealed = (SELECT sealed FROM reservations ORDER BY rowid LIMIT 1)", CancellationToken.None),
            CancellationToken.None);
        // An instance that reads the rows (another one, or this one after a restart) refuses them.
        var reading = new SharedSpendingWindows(db.Store);
        ProblemException refused = await Assert.ThrowsAsync<ProblemException>(() => reading.ReserveAsync("alice.near", [Charge(1000, 1)], T0));
        Assert.Equal("state-tampered", refused.Problem.Slug);
        // The instance that wrote them and still knows them (the change kept their tags) counts what it sealed, not the copy: 901 + 100 > 1000.
        WindowReservation warm = await windows.ReserveAsync("alice.near", [Charge(1000, 100)], T0);
        Assert.False(warm.Reserved);
        Assert.Equal(901, warm.Exceeded!.Current);
    }

    [Fact]
    public async Task An_instance_sees_the_reservations_another_instance_made_since_its_last_one()
    {
        await using StateTestStore db = await StateTestStore.SqliteAsync(clock: new ManualClock(T0));
        SharedSpendingWindows first = new(db.Store), second = new(db.Store);
        Assert.True((await first.ReserveAsync("alice.near", [Charge(100, 60)], T0)).Reserved);
        Assert.True((await second.ReserveAsync("alice.near", [Charge(100, 40)], T0)).Reserved);
        WindowReservation over = await first.ReserveAsync("alice.near", [Charge(100, 1)], T0);
        Assert.False(over.Reserved);
        Assert.Equal(100, over.Exceeded!.Current);
    }

    [Fact]
    public async Task An_instance_sees_a_release_and_a_commit_made_by_another_instance()
    {
        var clock = new ManualClock(T0);
        await using StateTestStore db = await StateTestStore.SqliteAsync(clock: clock);
        SharedSpendingWindows first = new(db.Store), second = new(db.Store);
        WindowReservation held = await first.ReserveAsync("alice.near", [Charge(100, 100)], T0);
        Assert.False((await first.ReserveAsync("alice.near", [Charge(100, 1)], T0)).Reserved);
        await second.ReleaseAsync(held);
        WindowReservation again = await first.ReserveAsync("alice.near", [Charge(100, 100)], T0);
        Assert.True(again.Reserved);
        // Committed elsewhere: after the hold it still counts for the whole day, which the first instance learns.
        await second.CommitAloneAsync(db.Store, again);
        DateTimeOffset afterHold = T0 + ReservationPayloadHold + TimeSpan.FromMinutes(1);
        WindowReservation later = await first.ReserveAsync("alice.near", [Charge(100, 1)], afterHold);
        Assert.False(later.Reserved);
        Assert.Equal(100, later.Exceeded!.Current);
    }

    [Fact]
    public async Task A_warm_instance_admits_exactly_what_fits_while_another_one_reserves_too()
    {
        await using StateTestStore db = await StateTestStore.SqliteAsync();
        SharedSpendingWindows[] instances = [new(db.Store), new(db.Store)];
        BigInteger limit = 1_000_000, amount = 7_001;
        // Warm both: each has read the account once.
        foreach (SharedSpendingWindows w in instances)
            await w.ReleaseAsync(await w.ReserveAsync("alice.near", [Charge(limit, 1)], DateTimeOffset.UtcNow));
        WindowReservation[] results = await Task.WhenAll(Enumerable.Range(0, 400).Select(i => Task.Run(async () =>
        {
            WindowReservation r = await instances[i % 2].ReserveAsync("alice.near", [Charge(limit, amount)], DateTimeOffset.UtcNow);
            if (r.Reserved && i % 3 == 0) await instances[(i + 1) % 2].CommitAloneAsync(db.Store, r);
            else if (r.Reserved && i % 3 == 1) await instances[i % 2].CommitAloneAsync(db.Store, r);
            return r;
        })));
        Assert.Equal((int)(limit / amount), results.Count(r => r.Reserved));
    }

    private static readonly TimeSpan ReservationPayloadHold = TimeSpan.FromMinutes(5);
}
