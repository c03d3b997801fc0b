namespace Keystore.Audit;

/// <summary>Where every decision goes (signing, refusals, agent and policy changes, exports).</summary>
public interface IAuditLog
{
    /// <summary>Appends one entry, chained to the head and signed; returns it. Throws when the store cannot take it.</summary>
    Task<AuditEntry> AppendAsync(AuditEvent decision, CancellationToken cancellationToken);
}
