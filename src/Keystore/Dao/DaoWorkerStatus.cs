namespace Keystore.Dao;

/// <summary><c>tee-dao.get_worker_status</c> at a final block.</summary>
public sealed record DaoWorkerStatus(DaoWorkerState State, ulong BlockHeight);
