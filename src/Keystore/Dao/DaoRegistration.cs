namespace Keystore.Dao;

/// <summary>
/// What the register step learnt from the DAO once it listed this worker: the final block it was seen at (an
/// answer from an older block says nothing) and the DAO's configuration, which the master-secret step and the
/// binding registrar use. Produced once by the boot and handed on through <see cref="Boot.WorkerContext"/>.
/// </summary>
public sealed record DaoRegistration(ulong AtBlock, DaoConfig Config);
