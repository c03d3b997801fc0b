namespace Keystore.State;

/// <summary>
/// Exact rolling spending windows: reserve-then-commit, each reservation excluding every other reservation of the same
/// account, so N parallel requests against a limit admit exactly what fits. Where that exclusion lives depends on who
/// writes the store: <see cref="SingleWriterSpendingWindows"/> (SQLite, one process: in memory) or
/// <see cref="SharedSpendingWindows"/> (PostgreSQL, a fleet: in the database, on every instance).
/// </summary>
public interface ISpendingWindows
{
    /// <summary>Checks every charge against its window and, only if all fit, holds them all (one transaction).</summary>
    Task<WindowReservation> ReserveAsync(string account, IReadOnlyList<WindowCharge> charges, DateTimeOffset now, CancellationToken cancellationToken = default);

    /// <summary>The signature exists: the held amounts count for their whole windows.</summary>
    Task CommitAsync(WindowReservation reservation, CancellationToken cancellationToken = default);

    /// <summary>Nothing was signed: the held amounts are given back.</summary>
    Task ReleaseAsync(WindowReservation reservation, CancellationToken cancellationToken = default);

    /// <summary>What each window holds now, without holding anything (dry runs).</summary>
    Task<IReadOnlyList<WindowTotal>> GetTotalsAsync(string account, IReadOnlyList<WindowCharge> charges, DateTimeOffset now, CancellationToken cancellationToken = default);
}
