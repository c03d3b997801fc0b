using Keystore.Configuration;
using Keystore.Dao;
using Keystore.Near.Rpc;
using Microsoft.Extensions.Options;

namespace Keystore.Boot;

/// <summary>
/// Makes a council's revocation bite on running instances too: while ready, a DAO-registered worker
/// asks the DAO every <c>Keystore:Near:RevocationCheckInterval</c> for its status at the latest final
/// block. Only a definite answer counts: two consecutive Revoked answers (the worker gone, or its
/// measurements revoked; see <see cref="RevocationTracker"/>) drop the master secret (nothing more is
/// derived or signed) and mark the register step failed. An RPC fault, an unknown DAO account or a
/// node behind the blocks already seen is Unknown: the instance keeps serving and asks again.
/// While registered it also sends the DAO a heartbeat once half its idle time is used up, so a
/// serving instance is never pruned as idle.
/// </summary>
public sealed class WorkerRevocationMonitor(
    NearConnection near,
    WorkerContext worker,
    KeystoreState state,
    IOptions<KeystoreOptions> options,
    TimeProvider time,
    ILogger<WorkerRevocationMonitor> logger) : BackgroundService
{
    public const string RevokedReason =
        "The DAO revoked this worker (its OS measurements or compose hash were removed, or its TCB status is no longer accepted): the master secret was dropped. Deploy an approved release.";

    public const string GoneReason =
        "The DAO no longer lists this worker (revoked and pruned, or idle past the DAO's worker TTL): the master secret was dropped. Restart to register a new worker.";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        TimeSpan interval = options.Value.Near.RevocationCheckInterval;
        var tracker = new RevocationTracker(time);
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
            DaoWorkerStatus answer;
            try
            {
                answer = await near.Dao.GetWorkerStatusAsync(worker.Identity.PublicKey, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (NearFaults.IsFault(ex) || ex is InvalidOperationException or FormatException or System.Text.Json.JsonException)
            {
                // UnknownAccountException (a reset chain without the DAO) is a NearRpcException, so it lands here too.
                logger.LogWarning("Could not check the worker's status with the DAO (treated as unknown): {Reason}", ex.Message);
                continue;
            }

            tracker.NotBefore(worker.RegisteredAtBlock);
            RevocationVerdict verdict = tracker.Observe(answer);
            if (verdict != RevocationVerdict.Unknown) worker.UpdateTcb(answer.Tcb);
            if (verdict == RevocationVerdict.Unknown)
            {
                if (answer.BlockHeight > tracker.NewestBlock)
                    logger.LogWarning("The RPC node answered from block {Height}, further ahead of block {Newest} already seen than the chain can be by now (a lying or broken node); treated as unknown.",
                        answer.BlockHeight, tracker.NewestBlock);
                else
                    logger.LogWarning("The RPC node answered from block {Height}, behind block {Newest} already seen (lagging node or reset chain); treated as unknown.",
                        answer.BlockHeight, tracker.NewestBlock);
                continue;
            }
            if (verdict == RevocationVerdict.Registered)
            {
                if (answer.HeartbeatDue(time.GetUtcNow())) await HeartbeatAsync(stoppingToken).ConfigureAwait(false);
                continue;
            }
            if (!tracker.ShouldDrop)
            {
                logger.LogWarning("The DAO answers {State} for worker {WorkerPublicKey} at final block {Height}; the master secret is dropped if the next check agrees.",
                    answer.State, worker.Identity.PublicKey, answer.BlockHeight);
                continue;
            }

            worker.MarkRevoked();
            state.Revoke(Steps.RegisterStep.StepName, answer.State == DaoWorkerState.Revoked ? RevokedReason : GoneReason);
            logger.LogCritical("Worker {WorkerPublicKey} was revoked by {Dao} ({State} at final block {Height}, {Checks} checks in a row); the master secret is dropped and nothing more is signed.",
                worker.Identity.PublicKey, near.DaoContractId, answer.State, answer.BlockHeight, tracker.RevokedInARow);
            return;
        }
    }

    private async Task HeartbeatAsync(CancellationToken ct)
    {
        try
        {
            await near.Dao.HeartbeatAsync(worker.Sender, ct).ConfigureAwait(false);
            logger.LogInformation("Sent the DAO a heartbeat for worker {WorkerPublicKey}.", worker.Identity.PublicKey);
        }
        catch (Exception ex) when (NearFaults.IsFault(ex) || ex is TransactionFailedException)
        {
            // The next check sees the heartbeat still due and tries again; half the idle time is left for that.
            logger.LogWarning("Could not send the DAO a heartbeat: {Reason}", ex.Message);
        }
    }
}
