using System.Data.Common;
using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;

namespace Keystore.State;

/// <summary>
/// One database engine behind the store. The SQL is shared (both engines take <c>@name</c> parameters,
/// <c>INSERT … ON CONFLICT</c> and <c>BIGINT</c>); what differs is the blob type, how a connection is had, and how a
/// write transaction excludes every other writer of the same account.
/// </summary>
public abstract class StateDatabase : IAsyncDisposable
{
    // The SQLite connection's kept statements, found from the connection the static helpers are handed.
    private static readonly ConditionalWeakTable<DbConnection, SqliteStatementCache> Prepared = [];

    /// <summary><c>sqlite</c> or <c>postgres</c>, for <c>/v1/ready</c> and logs.</summary>
    public abstract string Name { get; }

    /// <summary>The column type of a byte string: <c>BLOB</c> or <c>BYTEA</c>.</summary>
    public abstract string BlobType { get; }

    /// <summary>True when no other process can write the database while this one has it open (SQLite: <see cref="SqliteProcessLock"/>).</summary>
    public virtual bool IsSoleWriter => false;

    /// <summary>Runs <paramref name="work"/> on a connection, without a transaction (single reads).</summary>
    public abstract Task<T> ReadAsync<T>(Func<DbConnection, Task<T>> work, CancellationToken cancellationToken);

    /// <summary>
    /// Runs <paramref name="work"/> in one transaction that no other writer of <paramref name="accountLock"/> (on any
    /// instance sharing the database) overlaps, and commits it when <paramref name="work"/> returns; an exception rolls it back.
    /// </summary>
    public abstract Task<T> WriteAsync<T>(long accountLock, Func<DbConnection, DbTransaction, Task<T>> work, CancellationToken cancellationToken);

    /// <summary>
    /// Runs <paramref name="work"/> in one transaction that takes no account's lock: for writes whose every statement is
    /// safe against concurrent writers on its own (inserts guarded by a unique key), batched by a <see cref="GroupCommit{TItem, TResult}"/>.
    /// Engines that serialise all writers anyway (SQLite) run it as <see cref="WriteAsync{T}"/>.
    /// </summary>
    public virtual Task<T> WriteUnlockedAsync<T>(Func<DbConnection, DbTransaction, Task<T>> work, CancellationToken cancellationToken) =>
        WriteAsync(0, work, cancellationToken);

    /// <summary>
    /// Runs one statement on its own, in the engine's implicit transaction, without taking an account's write lock: for
    /// changes that no reservation's check depends on the order of (a commit or release of one's own row).
    /// </summary>
    public abstract Task<int> ExecuteStatementAsync(string sql, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters);

    /// <summary>
    /// Deletes reservation rows no window can see any more (<c>keep_until</c> past), in the prune's transaction. Engines
    /// that index <c>keep_until</c> delete them all at once; SQLite sweeps its table in slices (see its override).
    /// </summary>
    public virtual Task PruneReservationsAsync(DbConnection connection, DbTransaction transaction, long nowMs, CancellationToken cancellationToken) =>
        ExecuteAsync(connection, transaction, "DELETE FROM reservations WHERE keep_until < @now", cancellationToken, ("@now", nowMs));

    public abstract ValueTask DisposeAsync();

    /// <summary>From now on the helpers below keep <paramref name="connection"/>'s statements prepared in <paramref name="cache"/>.</summary>
    internal static void KeepPrepared(SqliteConnection connection, SqliteStatementCache cache) => Prepared.AddOrUpdate(connection, cache);

    public static DbCommand Command(DbConnection connection, DbTransaction? transaction, string sql, params ReadOnlySpan<(string Name, object? Value)> parameters)
    {
        DbCommand command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        foreach ((string name, object? value) in parameters)
        {
            DbParameter p = command.CreateParameter();
            p.ParameterName = name;
            p.Value = value ?? DBNull.Value;
            command.Parameters.Add(p);
        }
        return command;
    }

    public static async Task<int> ExecuteAsync(DbConnection connection, DbTransaction? transaction, string sql, CancellationToken cancellationToken,
        params (string Name, object? Value)[] parameters)
    {
        if (Prepared.TryGetValue(connection, out SqliteStatementCache? cache))
            return await cache.Get((SqliteConnection)connection, transaction, sql, parameters).ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        await using DbCommand command = Command(connection, transaction, sql, parameters);
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public static async Task<object?> ScalarAsync(DbConnection connection, DbTransaction? transaction, string sql, CancellationToken cancellationToken,
        params (string Name, object? Value)[] parameters)
    {
        object? value;
        if (Prepared.TryGetValue(connection, out SqliteStatementCache? cache))
        {
            value = await cache.Get((SqliteConnection)connection, transaction, sql, parameters).ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
        }
        else
        {
            await using DbCommand command = Command(connection, transaction, sql, parameters);
            value = await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
        }
        return value is DBNull ? null : value;
    }

    /// <summary>Runs a query and hands each row to <paramref name="row"/> (kept prepared on SQLite, like the helpers above).</summary>
    public static async Task ReadRowsAsync(DbConnection connection, DbTransaction? transaction, string sql, Action<DbDataReader> row, CancellationToken cancellationToken,
        params (string Name, object? Value)[] parameters)
    {
        DbCommand? owned = null;
        DbCommand command = Prepared.TryGetValue(connection, out SqliteStatementCache? cache)
            ? cache.Get((SqliteConnection)connection, transaction, sql, parameters)
            : owned = Command(connection, transaction, sql, parameters);
        try
        {
            await using DbDataReader reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                row(reader);
        }
        finally
        {
            if (owned is not null)
                await owned.DisposeAsync().ConfigureAwait(false);
        }
    }
}
