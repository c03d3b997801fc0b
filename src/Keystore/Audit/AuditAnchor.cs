namespace Keystore.Audit;

/// <summary>The head the DAO holds (<c>get_audit_anchor</c>): sequence, entry hash, the worker that anchored it and when.</summary>
public sealed record AuditAnchor(long Sequence, byte[] Hash, string Worker, ulong BlockHeight);
