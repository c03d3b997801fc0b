using System.Buffers.Binary;
using System.Data.Common;
using System.Text;
using Keystore.Configuration;
using Keystore.Problems;
using Microsoft.Extensions.Options;

namespace Keystore.State;

/// <summary>
/// The sealed state database, once open (<see cref="StateStoreStep"/>, after the master secret). Until then every use
/// answers 503 <c>not-ready</c>. Database faults become 503 <c>state-unavailable</c>: the keystore fails closed and signs
/// nothing it cannot account for.
/// </summary>
public sealed class StateStore(StateSealer sealer, IOptions<KeystoreOptions> options, TimeProvider time, ILogger<StateStore> logger) : IAsyncDisposable
{
    private const string SealCheckRow = "seal-check";
    private static readonly TimeSpan PruneEvery = TimeSpan.FromSeconds(30);
    private StateDatabase? _database;
    private long _nextPruneMs;

    public StateSealer Sealer => sealer;

    public TimeProvider Time => time;

    public bool IsOpen => Volatile.Read(ref _database) is not null;

    /// <summary>True once open on a database no other process writes meanwhile (SQLite): what this process wrote last is then the truth.</summary>
    public bool IsSoleWriter => Volatile.Read(ref _database)?.IsSoleWriter ?? false;

    /// <summary>The engine in use, once open.</summary>
    public string? Provider => Volatile.Read(ref _database)?.Name;

    /// <summary>
    /// Opens the configured database, applies its migrations, and checks it was sealed under this master secret (a
    /// database written under another one would refuse every row; better to say so at boot).
    /// </summary>
    public async Task OpenAsync(CancellationToken cancellationToken)
    {
        if (IsOpen) return;
        StateOptions o = options.Value.State;
        StateDatabase database = o.ParsedProvider == StateProviderKind.Postgres
            ? await PostgresStateDatabase.OpenAsync(o.ConnectionString!, cancellationToken).ConfigureAwait(false)
            : await SqliteStateDatabase.OpenAsync(o.SqlitePath, cancellationToken).ConfigureAwait(false);
        try
        {
            int version = await StateMigrations.RunAsync(database, time.GetUtcNow().ToUnixTimeMilliseconds(), cancellationToken).ConfigureAwait(false);
            await CheckSealAsync(database, cancellationToken).ConfigureAwait(false);
            Volatile.Write(ref _database, database);
            logger.LogInformation("State store open: {Provider}, schema version {Version}.", database.Name, version);
        }
        catch
        {
            await database.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private async Task CheckSealAsync(StateDatabase database, CancellationToken cancellationToken)
    {
        byte[] rowId = Encoding.ASCII.GetBytes(SealCheckRow);
        byte[] expected = Encoding.ASCII.GetBytes(StateSealer.SealingLabel);
        await database.WriteAsync(0, async (connection, transaction) =>
        {
            object? existing = await StateDatabase.ScalarAsync(connection, transaction, "SELECT sealed FROM meta WHERE name = @n", cancellationToken, ("@n", SealCheckRow)).ConfigureAwait(false);
            if (existing is byte[] sealedValue)
            {
                try
                {
                    if (!sealer.Open("meta", rowId, 0, sealedValue).AsSpan().SequenceEqual(expected))
                        throw StateProblems.TamperedRow("The state database's seal check holds another value.");
                }
                catch (ProblemException ex) when (ex.Problem == StateProblems.Tampered)
                {
                    throw new Boot.BootFailureException(
                        "The state database was sealed under another master secret (or altered): this keystore cannot read it. Point Keystore:State at this keystore's own database.",
                        retryable: false, ex);
                }
                return 0;
            }
            await StateDatabase.ExecuteAsync(connection, transaction, "INSERT INTO meta (name, sealed) VALUES (@n, @s)", cancellationToken,
                ("@n", SealCheckRow), ("@s", sealer.Seal("meta", rowId, 0, expected))).ConfigureAwait(false);
            return 0;
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The id of an account's rows: a keyed hash, so the database does not name the account.</summary>
    public byte[] AccountId(string account) => sealer.StableRowId("account", account);

    /// <summary>The lock that serialises the writers of one account, across instances.</summary>
    public static long AccountLock(ReadOnlySpan<byte> accountId) => BinaryPrimitives.ReadInt64BigEndian(accountId);

    public long NowMs => time.GetUtcNow().ToUnixTimeMilliseconds();

    public Task<T> ReadAsync<T>(Func<DbConnection, Task<T>> work, CancellationToken cancellationToken) =>
        Guard(db => db.ReadAsync(work, cancellationToken));

    public Task<T> WriteAsync<T>(ReadOnlySpan<byte> accountId, Func<DbConnection, DbTransaction, Task<T>> work, CancellationToken cancellationToken)
    {
        long accountLock = AccountLock(accountId);
        return Guard(db => db.WriteAsync(accountLock, work, cancellationToken));
    }

    /// <summary>One transaction outside any account's write lock (see <see cref="StateDatabase.WriteUnlockedAsync"/>).</summary>
    public Task<T> WriteUnlockedAsync<T>(Func<DbConnection, DbTransaction, Task<T>> work, CancellationToken cancellationToken) =>
        Guard(db => db.WriteUnlockedAsync(work, cancellationToken));

    /// <summary>One statement on its own, outside any account's write lock (see <see cref="StateDatabase.ExecuteStatementAsync"/>).</summary>
    public Task<int> ExecuteStatementAsync(string sql, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters) =>
        Guard(db => db.ExecuteStatementAsync(sql, cancellationToken, parameters));

    /// <summary>
    /// Deletes what has expired (nonces past their window, reservations past every window they count in, idempotent
    /// answers past 24 h), at most every 30 s per instance, so the tables stay the size of what is live.
    /// </summary>
    public async Task PruneIfDueAsync(CancellationToken cancellationToken)
    {
        long now = NowMs;
        long due = Interlocked.Read(ref _nextPruneMs);
        if (now < due || Interlocked.CompareExchange(ref _nextPruneMs, now + (long)PruneEvery.TotalMilliseconds, due) != due)
            return;
        await PruneAsync(cancellationToken).ConfigureAwait(false);
    }

    public Task PruneAsync(CancellationToken cancellationToken)
    {
        long now = NowMs;
        return Guard(db => db.WriteAsync(0, async (connection, transaction) =>
        {
            await StateDatabase.ExecuteAsync(connection, transaction, "DELETE FROM nonces WHERE expires_at < @now", cancellationToken, ("@now", now)).ConfigureAwait(false);
            await db.PruneReservationsAsync(connection, transaction, now, cancellationToken).ConfigureAwait(false);
            await StateDatabase.ExecuteAsync(connection, transaction, "DELETE FROM idempotency WHERE expires_at < @now", cancellationToken, ("@now", now)).ConfigureAwait(false);
            return 0;
        }, cancellationToken));
    }

    private async Task<T> Guard<T>(Func<StateDatabase, Task<T>> work)
    {
        StateDatabase database = Volatile.Read(ref _database)
            ?? throw new ProblemException(ProblemTypes.NotReady, "The state store is not open yet (boot step 'state').");
        try
        {
            return await work(database).ConfigureAwait(false);
        }
        catch (DbException ex)
        {
            // The provider's message names no row contents (values are sealed); the connection string is never in it.
            logger.LogWarning("State database error on {Provider}: {Error}", database.Name, ex.Message);
            throw new ProblemException(StateProblems.Unavailable, "The state database did not answer; retry shortly.");
        }
    }

    public async ValueTask DisposeAsync()
    {
        StateDatabase? database = Interlocked.Exchange(ref _database, null);
        if (database is not null)
            await database.DisposeAsync().ConfigureAwait(false);
    }
}
