namespace Keystore.Audit;

/// <summary>
/// Told of every entry once it is committed to the log (webhooks, for example). Called on the appending request's path,
/// so an observer only hands the entry off (a bounded queue) and returns: it must not block, and what it throws is
/// swallowed so that a decision already recorded is still answered.
/// </summary>
public interface IAuditObserver
{
    void Appended(AuditEvent decision, AuditEntry entry);
}
