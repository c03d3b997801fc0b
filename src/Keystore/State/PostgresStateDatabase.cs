using System.Data.Common;
using Npgsql;

namespace Keystore.State;

/// <summary>
/// PostgreSQL for a fleet: a pooled data source; a write transaction first takes the account's transaction-scoped
/// advisory lock (<c>pg_advisory_xact_lock</c>), so every instance sharing the database serialises the writers of one
/// account, and the lock goes with the commit or the rollback (also when the connection dies). Within one instance the
/// writers of an account first queue on a local lock (striped), so a burst on one account holds one pooled connection,
/// not the whole pool, while it waits for the other instances.
/// </summary>
/// <remarks>
/// Statements are prepared automatically on the server (Npgsql's <c>Max Auto Prepare</c>, set here unless the
/// connection string sets it), so a warm sign request sends only bind/execute for its handful of constant statements.
/// </remarks>
public sealed class PostgresStateDatabase : StateDatabase
{
    private const int Stripes = 256;
    private const int AutoPrepared = 32;
    private readonly NpgsqlDataSource _source;
    private readonly SemaphoreSlim[] _local = [.. Enumerable.Range(0, Stripes).Select(_ => new SemaphoreSlim(1, 1))];

    private PostgresStateDatabase(NpgsqlDataSource source) => _source = source;

    public override string Name => "postgres";

    public override string BlobType => "BYTEA";

    public static async Task<PostgresStateDatabase> OpenAsync(string connectionString, CancellationToken cancellationToken)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        // The store's SQL is a small fixed set; an operator's own choice (even 0, off) is kept.
        var given = new DbConnectionStringBuilder { ConnectionString = connectionString };
        if (!given.ContainsKey("Max Auto Prepare") && !given.ContainsKey("MaxAutoPrepare"))
            builder.MaxAutoPrepare = AutoPrepared;
        NpgsqlDataSource source = NpgsqlDataSource.Create(builder.ConnectionString);
        try
        {
            // Fail the boot step now (and retry it) rather than on the first request.
            await using NpgsqlConnection probe = await source.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            return new PostgresStateDatabase(source);
        }
        catch
        {
            await source.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    public override async Task<T> ReadAsync<T>(Func<DbConnection, Task<T>> work, CancellationToken cancellationToken)
    {
        await using NpgsqlConnection connection = await _source.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        return await work(connection).ConfigureAwait(false);
    }

    public override async Task<T> WriteAsync<T>(long accountLock, Func<DbConnection, DbTransaction, Task<T>> work, CancellationToken cancellationToken)
    {
        SemaphoreSlim local = _local[(int)((ulong)accountLock % Stripes)];
        await local.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await WriteLockedAsync(accountLock, work, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            local.Release();
        }
    }

    private async Task<T> WriteLockedAsync<T>(long accountLock, Func<DbConnection, DbTransaction, Task<T>> work, CancellationToken cancellationToken)
    {
        await using NpgsqlConnection connection = await _source.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using NpgsqlTransaction transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await ExecuteAsync(connection, transaction, "SELECT pg_advisory_xact_lock(@lock)", cancellationToken, ("@lock", accountLock)).ConfigureAwait(false);
        T result = await work(connection, transaction).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return result;
    }

    public override async Task<T> WriteUnlockedAsync<T>(Func<DbConnection, DbTransaction, Task<T>> work, CancellationToken cancellationToken)
    {
        await using NpgsqlConnection connection = await _source.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using NpgsqlTransaction transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        T result = await work(connection, transaction).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return result;
    }

    public override async Task<int> ExecuteStatementAsync(string sql, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
    {
        await using NpgsqlConnection connection = await _source.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        return await ExecuteAsync(connection, null, sql, cancellationToken, parameters).ConfigureAwait(false);
    }

    public override async ValueTask DisposeAsync()
    {
        await _source.DisposeAsync().ConfigureAwait(false);
        foreach (SemaphoreSlim s in _local) s.Dispose();
    }
}
