namespace Keystore.Attestation.EventLog;

/// <summary>An event log that is malformed or does not replay; <see cref="Index"/>/<see cref="EventName"/> name the offending event when known.</summary>
public sealed class EventLogException(string message, int? index = null, string? eventName = null, Exception? inner = null)
    : Exception(index is null ? message : $"event {index} '{eventName}': {message}", inner)
{
    public int? Index { get; } = index;
    public string? EventName { get; } = eventName;
}
