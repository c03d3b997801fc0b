using System.Data.Common;
using Microsoft.Data.Sqlite;

namespace Keystore.State;

/// <summary>
/// SQLite for one keystore process (it holds <see cref="SqliteProcessLock"/> while open): one connection, used by one
/// caller at a time (SQLite runs one writer at a time anyway, and a single connection needs no pool and no retry on a busy
/// lock). Because no other process may open the file, the connection keeps SQLite's own file locks for its lifetime
/// (<c>locking_mode=EXCLUSIVE</c>): no lock and unlock system calls per transaction and no shared-memory WAL index, which
/// halves the cost of a write transaction. Writes are still <c>BEGIN IMMEDIATE</c>.
/// WAL with <c>synchronous=NORMAL</c>: a power loss may lose the last commits, never corrupt the file.
/// </summary>
/// <remarks>
/// Why <c>synchronous=NORMAL</c> is acceptable here: a commit is then durable against a crash of the process (the WAL is
/// in the OS's page cache) but not against a power loss before the next checkpoint's fsync. What such a loss can take
/// back is the newest nonces, reservations and idempotent answers: a signed request replayed inside its timestamp window
/// (minutes) after the power came back could pass once more, and the newest amounts could leave a window early. Both
/// equal what a rollback of the file by its (untrusted) host can do anyway, which no setting here prevents; that is the
/// audit log's anchor's job. <c>synchronous=FULL</c> would add an fsync to every sign request (milliseconds on most
/// disks) for no protection the host cannot take away.
/// Statements are kept prepared on the connection (<see cref="SqliteStatementCache"/>).
/// </remarks>
public sealed class SqliteStateDatabase : StateDatabase
{
    private readonly SqliteConnection _connection;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly SqliteStatementCache _statements = new();
    private SqliteProcessLock? _processLock;

    private SqliteStateDatabase(SqliteConnection connection)
    {
        _connection = connection;
        KeepPrepared(connection, _statements);
    }

    public override string Name => "sqlite";

    /// <summary>SQLite's byte-string column type (<see cref="StateMigrations"/> tells the engines apart by it).</summary>
    public const string Blob = "BLOB";

    public override string BlobType => Blob;

    public override bool IsSoleWriter => true;

    public static async Task<SqliteStateDatabase> OpenAsync(string path, CancellationToken cancellationToken)
    {
        string full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        // One keystore process per file, for as long as it is open (see SqliteProcessLock): taken before the file is touched.
        SqliteProcessLock processLock = SqliteProcessLock.Acquire(full);
        try
        {
            var builder = new SqliteConnectionStringBuilder { DataSource = full, Mode = SqliteOpenMode.ReadWriteCreate, Pooling = false, DefaultTimeout = 30 };
            var connection = new SqliteConnection(builder.ConnectionString);
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            // The file holds only sealed values and keyed hashes, but nobody else on the machine needs to read it.
            if (!OperatingSystem.IsWindows())
                File.SetUnixFileMode(full, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            // locking_mode before the first access in WAL mode, so SQLite never maps the shared-memory index.
            await ExecuteAsync(connection, null, "PRAGMA locking_mode=EXCLUSIVE; PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=30000;", cancellationToken).ConfigureAwait(false);
            return new SqliteStateDatabase(connection) { _processLock = processLock };
        }
        catch
        {
            processLock.Dispose();
            throw;
        }
    }

    public override async Task<T> ReadAsync<T>(Func<DbConnection, Task<T>> work, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await work(_connection).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    public override async Task<T> WriteAsync<T>(long accountLock, Func<DbConnection, DbTransaction, Task<T>> work, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            // deferred: false is BEGIN IMMEDIATE: the write lock is taken now, before anything is read.
            await using SqliteTransaction transaction = _connection.BeginTransaction(deferred: false);
            T result = await work(_connection, transaction).ConfigureAwait(false);
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            return result;
        }
        finally
        {
            _gate.Release();
        }
    }

    public override async Task<int> ExecuteStatementAsync(string sql, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await ExecuteAsync(_connection, null, sql, cancellationToken, parameters).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Rows of the reservations table one prune visits at most, in slices of <see cref="SweepSlice"/>.</summary>
    public const int SweepRows = 20_000;

    public const int SweepSlice = 5_000;

    // Where the next sweep starts (a rowid); only touched inside a write transaction, so under the gate.
    private long _sweepFrom;

    /// <remarks>
    /// SQLite's reservations table has no index on <c>keep_until</c> (migration 8): every index is one more page written
    /// per signed request, and this one served only the prune. So the prune walks the table in rowid order from where the
    /// last one stopped, a slice at a time, deleting what has expired and wrapping at the end; it goes on past
    /// <see cref="SweepSlice"/> rows only while at least half of what it visits is expired (a backlog). An expired row
    /// may stay a few sweeps longer; it counts for nothing meanwhile (every read asks for <c>keep_until &gt;= now</c>).
    /// </remarks>
    public override async Task PruneReservationsAsync(DbConnection connection, DbTransaction transaction, long nowMs, CancellationToken cancellationToken)
    {
        for (int visited = 0; visited < SweepRows; visited += SweepSlice)
        {
            long from = _sweepFrom;
            long last = -1;
            int rows = 0;
            await ReadRowsAsync(connection, transaction,
                "SELECT COUNT(*), COALESCE(MAX(r), -1) FROM (SELECT rowid AS r FROM reservations WHERE rowid > @from ORDER BY rowid LIMIT @n)",
                reader => (rows, last) = (reader.GetInt32(0), reader.GetInt64(1)), cancellationToken, ("@from", from), ("@n", SweepSlice)).ConfigureAwait(false);
            int deleted = rows == 0 ? 0 : await ExecuteAsync(connection, transaction,
                "DELETE FROM reservations WHERE rowid > @from AND rowid <= @last AND keep_until < @now", cancellationToken,
                ("@from", from), ("@last", last), ("@now", nowMs)).ConfigureAwait(false);
            // A short slice reached the end of the table: the next sweep starts again at its beginning.
            _sweepFrom = rows < SweepSlice ? 0 : last;
            if (rows < SweepSlice || deleted * 2 < rows) return;
        }
    }

    public override async ValueTask DisposeAsync()
    {
        await _gate.WaitAsync().ConfigureAwait(false);
        _statements.Dispose();
        await _connection.DisposeAsync().ConfigureAwait(false);
        _processLock?.Dispose();
        _gate.Dispose();
    }
}
