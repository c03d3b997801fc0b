using System.Data.Common;

namespace Keystore.State;

/// <summary>
/// One database engine behind the store. The SQL is shared (both engines take <c>@name</c> parameters,
/// <c>INSERT … ON CONFLICT</c> and <c>BIGINT</c>); what differs is the blob type, how a connection is had, and how a
/// write transaction excludes every other writer of the same account.
/// </summary>
public abstract class StateDatabase : IAsyncDisposable
{
    /// <summary><c>sqlite</c> or <c>postgres</c>, for <c>/v1/ready</c> and logs.</summary>
    public abstract string Name { get; }

    /// <summary>The column type of a byte string: <c>BLOB</c> or <c>BYTEA</c>.</summary>
    public abstract string BlobType { get; }

    /// <summary>Runs <paramref name="work"/> on a connection, without a transaction (single reads).</summary>
    public abstract Task<T> ReadAsync<T>(Func<DbConnection, Task<T>> work, CancellationToken cancellationToken);

    /// <summary>
    /// Runs <paramref name="work"/> in one transaction that no other writer of <paramref name="accountLock"/> (on any
    /// instance sharing the database) overlaps, and commits it when <paramref name="work"/> returns; an exception rolls it back.
    /// </summary>
    public abstract Task<T> WriteAsync<T>(long accountLock, Func<DbConnection, DbTransaction, Task<T>> work, CancellationToken cancellationToken);

    public abstract ValueTask DisposeAsync();

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
        await using DbCommand command = Command(connection, transaction, sql, parameters);
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public static async Task<object?> ScalarAsync(DbConnection connection, DbTransaction? transaction, string sql, CancellationToken cancellationToken,
        params (string Name, object? Value)[] parameters)
    {
        await using DbCommand command = Command(connection, transaction, sql, parameters);
        object? value = await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
        return value is DBNull ? null : value;
    }
}
