namespace Keystore.Audit;

/// <summary>Where every decision goes (signing, refusals, agent and policy changes, exports).</summary>
public interface IAuditLog
{
    /// <summary>Appends one entry, chained to the head and signed; returns it. Throws when the store cannot take it.</summary>
    Task<AuditEntry> AppendAsync(AuditEvent decision, CancellationToken cancellationToken);

    /// <summary>
    /// Appends one entry and, in the same transaction, <paramref name="alongside"/> (e.g. the window charge of the signature
    /// this entry logs): both land or neither does, and <paramref name="alongside"/> hears which.
    /// </summary>
    Task<AuditEntry> AppendAsync(AuditEvent decision, State.StateChange? alongside, CancellationToken cancellationToken);
}
