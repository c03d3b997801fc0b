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

    /// <summary>
    /// Appends <paramref name="decisions"/> in order, as one <see cref="AppendAsync(AuditEvent, CancellationToken)"/> each
    /// would, handed to the log at once (e.g. the items of one sign-batch): one task per decision, every one completed,
    /// each with its entry or its own failure.
    /// </summary>
    Task<Task<AuditEntry>[]> AppendAllAsync(IReadOnlyList<AuditEvent> decisions, CancellationToken cancellationToken);
}
