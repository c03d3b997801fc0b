using Keystore.Near.Rpc;

namespace Keystore.Boot;

/// <summary>
/// This instance as a worker of the DAO: its key, its attestation and whether the DAO registered it.
/// Filled in by the boot steps in order; readers see each part only once it is set.
/// </summary>
public sealed class WorkerContext : IDisposable
{
    private WorkerAttestation? _attestation;
    private TransactionSender? _sender;
    private volatile bool _registered;
    private ulong _registeredAtBlock;

    /// <summary>Created once per process: a restart is a new worker.</summary>
    public WorkerIdentity Identity { get; } = new();

    public WorkerAttestation? Attestation => Volatile.Read(ref _attestation);

    /// <summary>The DAO's configuration as the master-secret step read it (MPC, path, chain-keys registry).</summary>
    public Dao.DaoConfig? DaoConfig { get; set; }

    public bool IsRegistered => _registered;

    public void SetAttestation(WorkerAttestation attestation) => Volatile.Write(ref _attestation, attestation);

    /// <summary>The final block at which the DAO was seen listing this worker: an answer from an older block says nothing.</summary>
    public ulong RegisteredAtBlock => Interlocked.Read(ref _registeredAtBlock);

    public void MarkRegistered(ulong atBlock)
    {
        Interlocked.Exchange(ref _registeredAtBlock, atBlock);
        _registered = true;
    }

    public void MarkRevoked() => _registered = false;

    /// <summary>The worker's transactions: signer = the DAO account, key = this worker's function-call key.</summary>
    public TransactionSender Sender(NearRpcClient rpc, string daoContractId)
    {
        TransactionSender? sender = Volatile.Read(ref _sender);
        if (sender is not null) return sender;
        sender = new TransactionSender(rpc, daoContractId, Identity.KeyPair);
        return Interlocked.CompareExchange(ref _sender, sender, null) ?? sender;
    }

    public void Dispose() => Identity.Dispose();
}
