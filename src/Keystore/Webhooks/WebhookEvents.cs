namespace Keystore.Webhooks;

/// <summary>
/// The audit kinds a webhook may subscribe to: the approval flow's (<c>pending</c> = approval needed, <c>approved</c>,
/// <c>rejected</c>, <c>cancelled</c>, <c>expired</c>), signing decisions, exports and account changes. Names are the audit
/// log's own, so a delivery's <c>kind</c> is the entry's.
/// </summary>
public static class WebhookEvents
{
    public const int MaxEvents = 32;

    /// <summary>Recorded in the audit log when an owner sets or removes the account's webhook (the URL only as its hash).</summary>
    public const string WebhookSet = "webhook-set";
    public const string WebhookRemoved = "webhook-removed";

    public static readonly IReadOnlySet<string> Known = new HashSet<string>(StringComparer.Ordinal)
    {
        "pending", "approved", "rejected", "cancelled", "expired",
        Audit.AuditKinds.Signed, Audit.AuditKinds.Denied, Audit.AuditKinds.Exported,
        Audit.AuditKinds.AgentAdded, Audit.AuditKinds.AgentUpdated, Audit.AuditKinds.AgentRevoked,
        Audit.AuditKinds.PolicyChanged, Audit.AuditKinds.Frozen, WebhookSet, WebhookRemoved,
    };
}
