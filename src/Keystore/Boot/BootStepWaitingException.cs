namespace Keystore.Boot;

/// <summary>A step waits for an outside action (an operator's registration); polled at <see cref="PollInterval"/>.</summary>
public sealed class BootStepWaitingException(string message, TimeSpan pollInterval) : Exception(message)
{
    public TimeSpan PollInterval { get; } = pollInterval;
}
