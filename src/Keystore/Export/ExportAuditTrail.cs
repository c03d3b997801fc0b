using Keystore.Audit;

namespace Keystore.Export;

/// <summary>
/// Where every export decision is recorded: granted, refused by policy, or refused by the rate limit. Each one is
/// appended to the signed, hash-chained audit log (names of what left and the age recipient, never the secrets), and
/// also written as a structured log line at Warning, so the usual production filter never drops it. A granted export
/// is recorded before its ciphertext is handed out: an export the audit log cannot hold is not given.
/// </summary>
public sealed class ExportAuditTrail(IAuditLog audit, ILogger<ExportAuditTrail> logger)
{
    public const string RateLimitRule = "export-rate-limit";

    public async Task PendingAsync(ExportContext export, string approvalId, byte[] payloadHash, int required, int approvers, CancellationToken cancellationToken)
    {
        await audit.AppendAsync(new AuditEvent(export.Account, AuditKinds.Pending)
        {
            Chain = Approvals.ApprovalKinds.Export,
            Rule = ExportVerdict.AccountExportRule,
            PayloadHash = payloadHash,
            Detail = ApprovalAuditDetail.Format(approvalId, $"{required} of {approvers}; export of {string.Join(",", export.Contents)}"),
            Destinations = [export.Recipient],
        }, cancellationToken).ConfigureAwait(false);
        logger.LogWarning(
            "Audit: export of {Contents} of {Account} to age recipient {Recipient}, requested by {CallerPublicKey}, waits for approvals ({ApprovalId}).",
            string.Join(",", export.Contents), export.Account, export.Recipient, export.CallerPublicKey, approvalId);
    }

    public async Task ExportedAsync(ExportContext export, CancellationToken cancellationToken)
    {
        await audit.AppendAsync(new AuditEvent(export.Account, AuditKinds.Exported)
        {
            Detail = string.Join(",", export.Contents),
            Destinations = [export.Recipient],
        }, cancellationToken).ConfigureAwait(false);
        logger.LogWarning(
            "Audit: exported {Contents} of {Account} to age recipient {Recipient}, requested by {CallerPublicKey}.",
            string.Join(",", export.Contents), export.Account, export.Recipient, export.CallerPublicKey);
    }

    public async Task RefusedAsync(ExportContext export, string rule, string reason, CancellationToken cancellationToken)
    {
        logger.LogWarning(
            "Audit: refused export of {Contents} of {Account} to age recipient {Recipient}, requested by {CallerPublicKey}: {Reason}.",
            string.Join(",", export.Contents), export.Account, export.Recipient, export.CallerPublicKey, reason);
        await audit.AppendAsync(new AuditEvent(export.Account, AuditKinds.Denied)
        {
            Rule = rule,
            Detail = "export of " + string.Join(",", export.Contents),
            Destinations = [export.Recipient],
        }, cancellationToken).ConfigureAwait(false);
    }
}
