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
}
