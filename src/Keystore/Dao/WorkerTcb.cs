namespace Keystore.Dao;

/// <summary>
/// This worker's TCB as the DAO sees it: the status and advisories the on-chain DCAP verification found at
/// registration, and whether the council's current policy accepts them (<c>accepted</c>), accepts them only until
/// <see cref="GraceUntil"/> because the policy changed (<c>grace</c>), or no longer does (<c>refused</c>).
/// Operators watch it to see a TCB recovery coming before it stops the worker.
/// </summary>
public sealed record WorkerTcb(string Status, IReadOnlyList<string> AdvisoryIds, string Standing, DateTimeOffset? GraceUntil);
