using Keystore.Boot;
using Keystore.Dao;
using Keystore.Near.Ckd;
using Keystore.Near.Rpc;

namespace Keystore.MasterSecrets;

/// <summary>
/// The production source: NEAR MPC Confidential Key Derivation through the DAO. The registered
/// worker calls <c>tee-dao.request_master_secret</c> with a fresh ephemeral BLS key; the DAO, as
/// predecessor, asks the MPC network, so every approved worker on every boot gets the same secret.
/// A response that fails the pairing check is a malicious or broken MPC answer: boot stops loudly,
/// and no other source is ever tried instead.
/// The pairing check is only as good as the MPC public key it runs under. Read from the MPC contract, that key comes
/// through the same RPC as the answer, so the RPC is trusted with the master secret; <c>Keystore:Near:MpcPublicKey</c>
/// pins it (see <see cref="PinnedMpcPublicKeySource"/>) and takes the RPC out of that trust; unpinned in a real TEE,
/// <see cref="Boot.DeploymentTrustWarnings"/> says so at startup.
/// </summary>
public sealed class CkdMasterSecretSource(NearConnection near, WorkerContext worker, ILogger<CkdMasterSecretSource> logger) : IMasterSecretSource
{
    public const string SourceName = "ckd";

    /// <summary>The DAO forwards with its own gas budget for the MPC call (50 Tgas by default) plus a callback.</summary>
    public const ulong RequestGas = 150_000_000_000_000;

    public string Name => SourceName;

    public bool RequiresRegisteredWorker => true;

    public async Task<MasterSecret> LoadAsync(CancellationToken cancellationToken)
    {
        if (!worker.IsRegistered || worker.Registration is not { Config: var config })
            throw new BootFailureException("The worker is not registered with the DAO yet.", retryable: true);

        string daoId = near.DaoContractId;
        long started = System.Diagnostics.Stopwatch.GetTimestamp();
        string outcome = "error";
        try
        {
            await CheckCkdDomainAsync(config, cancellationToken).ConfigureAwait(false);
            // A function-call key cannot attach a deposit: the DAO pays the MPC's 1 yoctoNEAR itself.
            var transport = new NearCkdTransport(worker.Sender, daoId, gas: RequestGas, deposit: 0);
            IMpcPublicKeySource mpcKey = MpcPublicKeySource(config);
            var client = new CkdClient(transport, mpcKey, daoId, config.CkdPath);
            // Pinned from the HKDF output to the MasterSecret's own pinned buffer; disposing wipes the copy here.
            using CkdSecret secret = await client.DeriveSecretAsync(cancellationToken).ConfigureAwait(false);
            logger.LogInformation("CKD answer from {Mpc} (domain {Domain}, path {Path}) passed the pairing check.",
                config.MpcContractId, config.CkdDomainId, config.CkdPath);
            outcome = "ok";
            return new MasterSecret(secret.Span);
        }
        catch (CkdVerificationException ex)
        {
            logger.LogCritical("The MPC answer failed verification; refusing to start: {Reason}", ex.Message);
            throw new BootFailureException($"CKD verification failed (malicious or broken MPC answer): {ex.Message}", retryable: false, ex);
        }
        catch (TransactionFailedException ex)
        {
            // "Request has timed out." (MPC did not answer in time), a revoked worker, a paused MPC: all may clear up.
            throw new BootFailureException($"request_master_secret failed: {ex.FailureMessage}", retryable: true, ex);
        }
        catch (FormatException ex)
        {
            // NEAR or the MPC answered something this keystore does not read: perhaps a contract upgrade under way.
            throw new BootFailureException($"NEAR: {ex.Message}", retryable: true, ex);
        }
        // NEAR faults go to the boot service as they are: it alone tells transient from definite.
        finally
        {
            Metrics.KeystoreMetrics.CkdDuration.WithLabels(outcome).Observe(System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalSeconds);
        }
    }

    /// <summary>The pinned key when there is one (checked against the chain's), else the chain's as the RPC reports it.</summary>
    private IMpcPublicKeySource MpcPublicKeySource(DaoConfig config)
    {
        var chain = new NearRpcMpcPublicKeySource(near.Rpc, config.MpcContractId, config.CkdDomainId);
        if (near.Options.MpcPublicKey is { } pin)
        {
            logger.LogInformation("The CKD answer is checked against the pinned MPC public key {MpcPublicKey}.", pin);
            return new PinnedMpcPublicKeySource(chain, BlsKeyText.ParseG2(pin));
        }
        return chain;
    }

    /// <summary>
    /// The MPC network numbers its domains by vote, differently on each network: the domain the DAO forwards to must be
    /// one the MPC contract lists for CKD right now, or the answer would be under another key (or none at all).
    /// </summary>
    private async Task CheckCkdDomainAsync(DaoConfig config, CancellationToken ct)
    {
        IReadOnlyList<ulong> domains = await new NearRpcMpcDomains(near.Rpc, config.MpcContractId).GetCkdDomainIdsAsync(ct).ConfigureAwait(false);
        if (config.CkdDomainId < 0 || !domains.Contains((ulong)config.CkdDomainId))
            throw new BootFailureException(
                $"The DAO forwards to CKD domain {config.CkdDomainId}, but {config.MpcContractId} lists CKD domains [{string.Join(", ", domains)}]: "
                + "the DAO was set up for another MPC network (see contracts/deploy.sh).", retryable: true);
        logger.LogInformation("{Mpc} serves CKD on domain(s) {Domains}; the DAO uses {Domain}.", config.MpcContractId, domains, config.CkdDomainId);
    }
}
