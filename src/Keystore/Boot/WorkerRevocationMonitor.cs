using Keystore.Configuration;
using Keystore.Dao;
using Keystore.Near.Rpc;
using Microsoft.Extensions.Options;

namespace Keystore.Boot;

/// <summary>
/// Makes a council's revocation bite on running instances too: while ready, a DAO-registered worker
/// asks the DAO every <c>Keystore:Near:RevocationCheckInterval</c> whether it is still a worker. A
/// definite "no" drops the master secret (nothing more is derived or signed) and marks the register
/// step failed. An RPC fault is not an answer: the instance keeps serving and asks again.
/// </summary>
public sealed class WorkerRevocationMonitor(
    NearConnection near,
    WorkerContext worker,
    KeystoreState state,
    IOptions<KeystoreOptions> options,
    ILogger<WorkerRevocationMonitor> logger) : BackgroundService
{
    public const string RevokedReason =
        "The DAO no longer lists this worker (its measurements were revoked): the master secret was dropped. Deploy an approved image.";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        TimeSpan interval = options.Value.Near.RevocationCheckInterval;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(interval, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            // Only a registered worker that holds a secret has anything to lose.
            if (!worker.IsRegistered || !state.IsReady) continue;
            bool listed;
            try
            {
                listed = await near.Dao.IsRegisteredWorkerAsync(worker.Identity.PublicKey, stoppingToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (NearFaults.IsTransient(ex) || ex is InvalidOperationException)
            {
                logger.LogWarning("Could not check the worker's registration with the DAO: {Reason}", ex.Message);
                continue;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            if (listed) continue;

            worker.MarkRevoked();
            state.Revoke(Steps.RegisterStep.StepName, RevokedReason);
            logger.LogCritical("Worker {WorkerPublicKey} was revoked by {Dao}; the master secret is dropped and nothing more is signed.",
                worker.Identity.PublicKey, near.DaoContractId);
            return;
        }
    }
}
