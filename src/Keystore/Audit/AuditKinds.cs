namespace Keystore.Audit;

/// <summary>The decisions the audit log records, as written in its entries (stable: verifiers and owners read them).</summary>
public static class AuditKinds
{
    public const string Signed = "signed";
    public const string Denied = "denied";
    public const string Exported = "exported";
    public const string AgentAdded = "agent-added";
    public const string AgentUpdated = "agent-updated";
    public const string AgentRevoked = "agent-revoked";
    public const string PolicyChanged = "policy-changed";
    public const string Frozen = "frozen";
    /// <summary>A request now waits for m-of-n approvals (nothing signed yet).</summary>
    public const string Pending = "pending";
    /// <summary>One approver approved a pending request.</summary>
    public const string Approved = "approved";
    /// <summary>One approver rejected a pending request (the detail says whether that ended it).</summary>
    public const string Rejected = "rejected";
    /// <summary>The owner cancelled a pending request.</summary>
    public const string Cancelled = "cancelled";
    /// <summary>A pending request passed its expiry without its approvals.</summary>
    public const string Expired = "expired";
}
