using Keystore.Boot;

namespace Keystore.Audit;

/// <summary>
/// Boot step <c>audit</c>, after <c>state</c>: compares the store's audit log with the head anchored on NEAR and refuses a
/// store that is behind it (a lower sequence: an older copy restored, recent entries dropped) or that holds another entry at
/// the anchored sequence (a different history). Because spending windows and nonces live in the same store, this is what
/// makes rolling the database back to reset a limit fail. Without a registered worker (no DAO) there is no anchor to compare.
/// </summary>
public sealed class AuditAnchorStep(AuditLog log, AuditAnchorClient anchors, WorkerContext worker, KeystoreState state, ILogger<AuditAnchorStep> logger) : IBootStep
{
    public string Name => "audit";

    public string Detail => worker.Registration is null ? "not anchored (no DAO worker)" : "anchored on tee-dao";

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        AuditHead local = await log.GetHeadAsync(cancellationToken).ConfigureAwait(false);
        if (worker.Registration is null)
        {
            logger.LogInformation("Audit log head {Sequence}; not anchored: this keystore has no DAO worker registration.", local.Sequence);
            log.MarkChecked();
            return;
        }
        AuditAnchor? anchor = await anchors.GetAnchorAsync(cancellationToken).ConfigureAwait(false);
        string? refusal = Compare(local, anchor, anchor is null ? null : await log.GetEntryAsync(anchor.Sequence, cancellationToken).ConfigureAwait(false));
        if (refusal is not null)
        {
            // The master secret goes too: nothing is signed, derived or written on a store that may hold reset spending windows.
            state.Revoke(Name, refusal);
            throw new BootFailureException(refusal, retryable: false);
        }
        anchors.Saw(anchor?.Sequence ?? 0);
        log.MarkChecked();
        logger.LogInformation("Audit log head {Sequence} is at or ahead of the NEAR anchor {Anchored}.", local.Sequence, anchor?.Sequence ?? 0);
    }

    /// <summary>Why the store is refused, or null when its log contains the anchored head.</summary>
    public static string? Compare(AuditHead local, AuditAnchor? anchor, AuditEntry? atAnchor)
    {
        if (anchor is null || anchor.Sequence == 0) return null;
        if (local.Sequence < anchor.Sequence)
            return $"The state database is behind the audit head anchored on NEAR: its log ends at sequence {local.Sequence}, the DAO holds sequence {anchor.Sequence} "
                + $"(hash {Convert.ToHexStringLower(anchor.Hash)}). It is an older copy or lost recent entries (a rollback would reset spending windows and nonces); "
                + "this keystore refuses it. Restore the latest database.";
        if (atAnchor is null || !System.Security.Cryptography.CryptographicOperations.FixedTimeEquals(atAnchor.Hash, anchor.Hash))
            return $"The state database holds another audit entry at the anchored sequence {anchor.Sequence} than the one anchored on NEAR "
                + $"(hash {Convert.ToHexStringLower(anchor.Hash)}): its history was rewritten; this keystore refuses it.";
        return null;
    }
}
