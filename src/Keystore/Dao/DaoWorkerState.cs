namespace Keystore.Dao;

/// <summary>What <c>tee-dao.get_worker_status</c> says of a worker key.</summary>
public enum DaoWorkerState
{
    /// <summary>Registered and its measurements still approved: the DAO serves it.</summary>
    Registered,

    /// <summary>Registered, but its measurements were revoked: refused, its record waits to be pruned.</summary>
    Revoked,

    /// <summary>No such worker: never registered, or pruned (revoked, or idle past the DAO's worker TTL).</summary>
    UnknownWorker,
}
