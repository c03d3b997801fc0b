namespace Keystore.Audit;

/// <summary><c>Keystore:Audit:*</c>: how often the audit log's head is anchored on NEAR.</summary>
public sealed class AuditOptions
{
    /// <summary>At most one anchor transaction per interval, and only when the head moved since the last one.</summary>
    public TimeSpan AnchorInterval { get; set; } = TimeSpan.FromMinutes(10);

    internal static void Validate(AuditOptions audit, List<string> failures)
    {
        if (audit.AnchorInterval < TimeSpan.FromSeconds(1) || audit.AnchorInterval > TimeSpan.FromDays(1))
            failures.Add("Keystore:Audit:AnchorInterval must be between 00:00:01 and 1.00:00:00.");
    }
}
