namespace Keystore.Dao;

/// <summary>What <c>tee-dao.get_worker_status</c> says of a worker key.</summary>
public enum DaoWorkerState
{
    /// <summary>Registered, its OS measurement set and compose hash still approved and its TCB status accepted: the DAO serves it.</summary>
    Registered,

    /// <summary>Registered, but its OS set or compose hash was revoked or its TCB status is no longer accepted: refused, its record waits to be pruned.</summary>
    Revoked,

    /// <summary>No such worker: never registered, or pruned (revoked, or idle past the DAO's worker TTL).</summary>
    UnknownWorker,
}
