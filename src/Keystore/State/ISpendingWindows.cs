namespace Keystore.State;

/// <summary>
/// Exact rolling spending windows: reserve-then-commit, each reservation in one transaction that excludes every other
/// writer of the same account on every instance, so N parallel requests against a limit admit exactly what fits.
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
