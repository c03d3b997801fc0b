using Keystore.Dao;
using Keystore.Near.Rpc;

namespace Keystore.Boot;

/// <summary>
/// This instance as a worker of the DAO: its key, its attestation and its registration. Filled in by the boot
/// steps in order (attest, then register); readers see each part only once it is set.
/// </summary>
public sealed class WorkerContext : IDisposable
{
    private readonly Lazy<TransactionSender> _sender;
    private WorkerAttestation? _attestation;
    private DaoRegistration? _registration;
    private volatile bool _revoked;

    public WorkerContext(NearConnection near)
    {
        // One sender (and so one nonce sequence) for everything the worker key signs: CKD, heartbeats, bindings.
        _sender = new Lazy<TransactionSender>(() => new TransactionSender(near.Rpc, near.DaoContractId, Identity.KeyPair));
    }

    /// <summary>Created once per process: a restart is a new worker.</summary>
    public WorkerIdentity Identity { get; } = new();

    public WorkerAttestation? Attestation => Volatile.Read(ref _attestation);

    /// <summary>What the register step learnt from the DAO; null until the DAO has listed this worker.</summary>
    public DaoRegistration? Registration => Volatile.Read(ref _registration);

    public bool IsRegistered => Registration is not null && !_revoked;

    public void SetAttestation(WorkerAttestation attestation) => Volatile.Write(ref _attestation, attestation);

    /// <summary>The final block at which the DAO was seen listing this worker (0 before): an answer from an older block says nothing.</summary>
    public ulong RegisteredAtBlock => Registration?.AtBlock ?? 0;

    public void MarkRegistered(DaoRegistration registration)
    {
        Volatile.Write(ref _registration, registration);
        _revoked = false;
    }

    public void MarkRevoked() => _revoked = true;

    private WorkerTcb? _tcb;

    /// <summary>The worker's TCB status as the DAO last reported it (registration, then every revocation check); null before.</summary>
    public WorkerTcb? Tcb => Volatile.Read(ref _tcb);

    public void UpdateTcb(WorkerTcb? tcb)
    {
        if (tcb is not null) Volatile.Write(ref _tcb, tcb);
    }

    /// <summary>The worker's transactions: signer = the configured DAO account, key = this worker's function-call key.</summary>
    public TransactionSender Sender => _sender.Value;

    public void Dispose() => Identity.Dispose();
}
