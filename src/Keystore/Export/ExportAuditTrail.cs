namespace Keystore.Export;

/// <summary>
/// Where every export decision is recorded: granted, refused by policy, or refused by the rate limit. Today a
/// structured log line (names of what left, never the secrets); the signed, hash-chained audit log replaces
/// this class's body, and the route already calls it at each decision. Written at Warning so that the usual
/// production filter (Warning and up) never drops an export from the record.
/// </summary>
public sealed class ExportAuditTrail(ILogger<ExportAuditTrail> logger)
{
    public void Exported(ExportContext export) =>
        logger.LogWarning(
            "Audit: exported {Contents} of {Account} to age recipient {Recipient}, requested by {CallerPublicKey}.",
            string.Join(",", export.Contents), export.Account, export.Recipient, export.CallerPublicKey);

    public void Refused(ExportContext export, string reason) =>
        logger.LogWarning(
            "Audit: refused export of {Contents} of {Account} to age recipient {Recipient}, requested by {CallerPublicKey}: {Reason}.",
            string.Join(",", export.Contents), export.Account, export.Recipient, export.CallerPublicKey, reason);
}
