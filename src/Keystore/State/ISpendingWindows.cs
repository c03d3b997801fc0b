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

    /// <summary>
    /// The signature exists: the write that makes the held amounts count for their whole windows, to be written in the
    /// transaction that logs the signature (<see cref="Audit.IAuditLog.AppendAsync(Audit.AuditEvent, StateChange?, CancellationToken)"/>).
    /// Null when nothing was held (no charges, or refused).
    /// </summary>
    StateChange? Commit(WindowReservation reservation);

    /// <summary>Nothing was signed: the held amounts are given back.</summary>
    Task ReleaseAsync(WindowReservation reservation, CancellationToken cancellationToken = default);

    /// <summary>What each window holds now, without holding anything (dry runs).</summary>
    Task<IReadOnlyList<WindowTotal>> GetTotalsAsync(string account, IReadOnlyList<WindowCharge> charges, DateTimeOffset now, CancellationToken cancellationToken = default);
}
