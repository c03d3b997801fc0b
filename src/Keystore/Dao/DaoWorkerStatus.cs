namespace Keystore.Dao;

/// <summary>
/// <c>tee-dao.get_worker_status</c> at a final block. <see cref="LastSeen"/> and <see cref="IdleDeadline"/>
/// (from then on the DAO may prune an idle worker) are known for a worker the DAO still holds.
/// </summary>
public sealed record DaoWorkerStatus(DaoWorkerState State, ulong BlockHeight, DateTimeOffset? LastSeen = null, DateTimeOffset? IdleDeadline = null)
{
    /// <summary>The worker's TCB status and the DAO's verdict on it; null for an unknown worker or an older DAO.</summary>
    public WorkerTcb? Tcb { get; init; }

    /// <summary>
    /// Half the idle time is used up: a heartbeat now keeps a serving worker from being pruned, with
    /// the other half left for retries if NEAR cannot be reached.
    /// </summary>
    public bool HeartbeatDue(DateTimeOffset now) =>
        State == DaoWorkerState.Registered && LastSeen is { } seen && IdleDeadline is { } deadline && now >= seen + (deadline - seen) / 2;
}
