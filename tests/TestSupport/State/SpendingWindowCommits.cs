using Keystore.State;

namespace Keystore.TestSupport.State;

/// <summary>
/// A window's commit written in a transaction of its own. The keystore only ever writes it inside the audit append that
/// logs the signature (<see cref="ISpendingWindows.Commit"/> → <see cref="Keystore.Audit.IAuditLog"/>); the windows'
/// tests and benchmarks commit without an audit log, through the same <see cref="StateChange"/> and the same promise to hear once
/// whether the transaction committed.
/// </summary>
public static class SpendingWindowCommits
{
    public static Task CommitAloneAsync(this ISpendingWindows windows, StateStore store, WindowReservation reservation) =>
        windows.Commit(reservation) is { } change
            ? StateChange.TrackAsync(change, () => store.WriteUnlockedAsync(async (connection, transaction) =>
            {
                await change.WriteAsync(connection, transaction);
                return 0;
            }, CancellationToken.None))
            : Task.CompletedTask;
}
