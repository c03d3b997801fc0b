using System.Data.Common;

namespace Keystore.State;

/// <summary>
/// A write that lands inside another writer's transaction, so the two are one fact: a spending window's commit rides in
/// the audit append that logs the signature it pays for (<see cref="Audit.IAuditLog"/>), and a signature is then charged
/// exactly when it is logged, with one write transaction for both. Its owner hears afterwards whether that transaction
/// committed (<see cref="Committed"/>) or not (<see cref="Failed"/>), and updates what it keeps in memory only then.
/// </summary>
/// <remarks>
/// <see cref="WriteAsync"/> may run more than once (a batch that failed is retried item by item, each in a new
/// transaction), so it must write the same thing each time; <see cref="Committed"/> or <see cref="Failed"/> is called once (<see cref="TrackAsync"/>).
/// </remarks>
public sealed class StateChange(Func<DbConnection, DbTransaction, Task> write, Action committed, Action failed)
{
    public Task WriteAsync(DbConnection connection, DbTransaction transaction) => write(connection, transaction);

    public void Committed() => committed();

    public void Failed() => failed();

    /// <summary>Both writes in one transaction, in this order (either may be null); each hears how it ended.</summary>
    public static StateChange? Both(StateChange? first, StateChange? second) =>
        first is null ? second : second is null ? first : new StateChange(
            async (connection, transaction) =>
            {
                await first.WriteAsync(connection, transaction).ConfigureAwait(false);
                await second.WriteAsync(connection, transaction).ConfigureAwait(false);
            },
            () =>
            {
                first.Committed();
                second.Committed();
            },
            () =>
            {
                first.Failed();
                second.Failed();
            });

    /// <summary>
    /// Runs <paramref name="transaction"/>, the transaction <paramref name="change"/> (if any) is written in, and then tells
    /// the change, once, whether it committed: the one place that keeps that promise for every writer that carries one.
    /// </summary>
    public static async Task<T> TrackAsync<T>(StateChange? change, Func<Task<T>> transaction)
    {
        ArgumentNullException.ThrowIfNull(transaction);
        T result;
        try
        {
            result = await transaction().ConfigureAwait(false);
        }
        catch
        {
            change?.Failed();
            throw;
        }
        change?.Committed();
        return result;
    }
}
