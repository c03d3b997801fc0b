using Keystore.Boot;
using Keystore.Configuration;
using Microsoft.Extensions.Options;

namespace Keystore.Audit;

/// <summary>
/// Anchors the audit log's head on NEAR once per <c>Keystore:Audit:AnchorInterval</c> when it moved, from a ready keystore
/// with a registered worker. A failed anchor is logged and tried again at the next interval; nothing else waits for it.
/// </summary>
public sealed class AuditAnchorService(AuditLog log, AuditAnchorClient anchors, KeystoreState state, WorkerContext worker,
    IOptions<KeystoreOptions> options, TimeProvider time, ILogger<AuditAnchorService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        TimeSpan interval = options.Value.Audit.AnchorInterval;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(interval, time, stoppingToken).ConfigureAwait(false);
                await AnchorIfMovedAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogWarning("Anchoring the audit head failed; next try in {Interval}: {Reason}", interval, ex.Message);
            }
        }
    }

    /// <summary>Sends one anchor when the keystore is ready, registered, and its head is past the last anchored sequence.</summary>
    public async Task<bool> AnchorIfMovedAsync(CancellationToken cancellationToken)
    {
        // LastAnchored is -1 until the audit boot step read the DAO: no anchor before the store was checked against it.
        if (!state.IsReady || !worker.IsRegistered || anchors.LastAnchored < 0)
            return false;
        AuditHead head = await log.GetHeadAsync(cancellationToken).ConfigureAwait(false);
        if (head.Sequence <= anchors.LastAnchored)
            return false;
        await anchors.AnchorAsync(head, cancellationToken).ConfigureAwait(false);
        logger.LogInformation("Audit head {Sequence} anchored on NEAR.", head.Sequence);
        return true;
    }
}
