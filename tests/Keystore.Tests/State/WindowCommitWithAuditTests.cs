using System.Numerics;
using System.Security.Cryptography;
using Keystore.Audit;
using Keystore.Problems;
using Keystore.State;
using Keystore.TestSupport.State;

namespace Keystore.Tests.State;

/// <summary>
/// A spending window's commit written in the transaction of the audit entry that logs its signature (what the signing
/// guard does): both land or neither, on SQLite's single writer and on a fleet's shared windows (on PostgreSQL too), and
/// a fault mid-transaction leaves the window as if nothing had been signed.
/// </summary>
public class WindowCommitWithAuditTests
{
    private static WindowCharge Daily(BigInteger limit, BigInteger amount) => new("daily-eth", TimeSpan.FromDays(1), limit, amount, "rule-daily");

    private static AuditEvent Signed(string account) => new(account, AuditKinds.Signed) { Chain = "ethereum", PayloadHash = SHA256.HashData("tx"u8) };

    public static TheoryData<string> Kinds => new() { "single-writer", "shared" };

    private static ISpendingWindows Windows(string kind, StateStore store) =>
        kind == "shared" ? new SharedSpendingWindows(store) : new SingleWriterSpendingWindows(store);

    private static Task<long> CountAsync(StateStore store, string sql) =>
        store.ReadAsync(async c => Convert.ToInt64(await StateDatabase.ScalarAsync(c, null, sql, CancellationToken.None)), CancellationToken.None);

    /// <summary>Reserved rows still held (not committed) count only until their hold lapses: this is what counts a day later.</summary>
    private static async Task<BigInteger> CountedAfterHoldAsync(StateStore store, string kind, string account)
    {
        ISpendingWindows fresh = Windows(kind, store);
        return (await fresh.GetTotalsAsync(account, [Daily(1_000_000, 0)], DateTimeOffset.UtcNow.AddMinutes(10)))[0].Current;
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task A_commit_riding_in_an_audit_append_lands_with_the_entry_and_counts_after_a_restart(string kind)
    {
        await using CheckedLog f = CheckedLog.Open(await StateTestStore.SqliteAsync());
        (StateTestStore db, AuditLog log) = (f.Db, f.Log);
        ISpendingWindows windows = Windows(kind, db.Store);
        long entriesBefore = await CountAsync(db.Store, "SELECT COUNT(*) FROM audit_log");

        WindowReservation reservation = await windows.ReserveAsync("alice.near", [Daily(100, 30)], DateTimeOffset.UtcNow);
        StateChange? commit = windows.Commit(reservation);
        Assert.NotNull(commit);
        await log.AppendAsync(Signed("alice.near"), commit, CancellationToken.None);

        Assert.Equal(entriesBefore + 1, await CountAsync(db.Store, "SELECT COUNT(*) FROM audit_log"));
        // Committed, not merely held: a new instance reading the database after the hold's end still counts it.
        Assert.Equal(30, await CountedAfterHoldAsync(db.Store, kind, "alice.near"));
        Assert.False((await windows.ReserveAsync("alice.near", [Daily(100, 71)], DateTimeOffset.UtcNow)).Reserved);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task A_fault_in_the_audit_transaction_after_the_commit_was_written_rolls_the_commit_back(string kind)
    {
        await using CheckedLog f = CheckedLog.Open(await StateTestStore.SqliteAsync());
        (StateTestStore db, AuditLog log) = (f.Db, f.Log);
        ISpendingWindows windows = Windows(kind, db.Store);
        long entriesBefore = await CountAsync(db.Store, "SELECT COUNT(*) FROM audit_log");

        WindowReservation reservation = await windows.ReserveAsync("alice.near", [Daily(100, 60)], DateTimeOffset.UtcNow);
        StateChange commit = windows.Commit(reservation)!;
        bool failedHeard = false;
        // The window's row is written, then the transaction faults (a full disk, a lost connection) before it commits.
        var faulting = new StateChange(
            async (connection, transaction) =>
            {
                await commit.WriteAsync(connection, transaction);
                await StateDatabase.ExecuteAsync(connection, transaction, "INSERT INTO no_such_table VALUES (1)", CancellationToken.None);
            },
            commit.Committed,
            () =>
            {
                failedHeard = true;
                commit.Failed();
            });
        ProblemException refused = await Assert.ThrowsAsync<ProblemException>(() => log.AppendAsync(Signed("alice.near"), faulting, CancellationToken.None));
        Assert.Equal("state-unavailable", refused.Problem.Slug);
        Assert.True(failedHeard);
        // The guard releases what it held when no answer went out (SigningGuard.UndoAsync).
        await windows.ReleaseAsync(reservation);

        Assert.Equal(entriesBefore, await CountAsync(db.Store, "SELECT COUNT(*) FROM audit_log"));
        Assert.Equal(0, await CountAsync(db.Store, "SELECT COUNT(*) FROM reservations"));
        Assert.Equal(0, await CountedAfterHoldAsync(db.Store, kind, "alice.near"));
        Assert.True((await windows.ReserveAsync("alice.near", [Daily(100, 100)], DateTimeOffset.UtcNow)).Reserved);
    }

    [Fact]
    public async Task An_append_refused_before_its_transaction_drops_the_hold_and_writes_nothing()
    {
        await using StateTestStore db = await StateTestStore.SqliteAsync();
        using var key = new AuditKey(db.State);
        var log = new AuditLog(db.Store, key); // not checked against its anchor yet: every append is refused
        var windows = new SingleWriterSpendingWindows(db.Store);

        WindowReservation reservation = await windows.ReserveAsync("alice.near", [Daily(100, 60)], DateTimeOffset.UtcNow);
        ProblemException refused = await Assert.ThrowsAsync<ProblemException>(() => log.AppendAsync(Signed("alice.near"), windows.Commit(reservation), CancellationToken.None));
        Assert.Equal(ProblemTypes.NotReady.Slug, refused.Problem.Slug);

        Assert.Equal(0, await CountAsync(db.Store, "SELECT COUNT(*) FROM reservations"));
        Assert.True((await windows.ReserveAsync("alice.near", [Daily(100, 100)], DateTimeOffset.UtcNow)).Reserved);
    }

    /// <summary>
    /// Appends waiting together share one transaction (group commit): one whose commit cannot be written (its row is gone,
    /// a tampered store) fails alone, and every other one in the batch lands with its commit.
    /// </summary>
    [Fact]
    public async Task In_a_batch_of_parallel_appends_one_bad_commit_fails_only_its_own_request_on_PostgreSQL()
    {
        string database = await TestPostgres.CreateDatabaseAsync();
        await using CheckedLog f = CheckedLog.Open(await StateTestStore.PostgresAsync(database));
        (StateTestStore db, AuditLog log) = (f.Db, f.Log);
        var windows = new SharedSpendingWindows(db.Store);
        const int Requests = 64;
        WindowReservation[] reservations = await Task.WhenAll(Enumerable.Range(0, Requests).Select(i =>
            windows.ReserveAsync("alice.near", [Daily(1_000_000, 1_000 + i)], DateTimeOffset.UtcNow)));
        Assert.All(reservations, r => Assert.True(r.Reserved));
        long entriesBefore = await CountAsync(db.Store, "SELECT COUNT(*) FROM audit_log");
        // The store loses one held row before its commit.
        await db.Store.ExecuteStatementAsync("DELETE FROM reservations WHERE reservation_id = @id", CancellationToken.None, ("@id", reservations[17].Id));

        Task[] appends = reservations.Select(r => (Task)log.AppendAsync(Signed("alice.near"), windows.Commit(r), CancellationToken.None)).ToArray();
        await Task.WhenAll(appends.Select(async t =>
        {
            try { await t; }
            catch (ProblemException) { }
        }));

        Assert.Equal(Requests - 1, appends.Count(t => t.IsCompletedSuccessfully));
        ProblemException tampered = Assert.IsType<ProblemException>(appends[17].Exception!.InnerException);
        Assert.Equal(StateProblems.Tampered.Slug, tampered.Problem.Slug);
        BigInteger expected = Enumerable.Range(0, Requests).Where(i => i != 17).Aggregate(BigInteger.Zero, (sum, i) => sum + 1_000 + i);
        Assert.Equal(expected, await CountedAfterHoldAsync(db.Store, "shared", "alice.near"));
        Assert.Equal(entriesBefore + Requests - 1, await CountAsync(db.Store, "SELECT COUNT(*) FROM audit_log"));
    }

    /// <summary>A store with its audit log, checked against its anchor (as after boot), disposed together.</summary>
    private sealed class CheckedLog : IAsyncDisposable
    {
        private readonly AuditKey _key;

        private CheckedLog(StateTestStore db)
        {
            Db = db;
            _key = new AuditKey(db.State);
            Log = new AuditLog(db.Store, _key);
            Log.MarkChecked();
        }

        public StateTestStore Db { get; }
        public AuditLog Log { get; }

        public static CheckedLog Open(StateTestStore db) => new(db);

        public async ValueTask DisposeAsync()
        {
            _key.Dispose();
            await Db.DisposeAsync();
        }
    }
}
