namespace Keystore.Boot;

/// <summary>
/// One step of the boot sequence. A step either completes, throws <see cref="BootStepException"/>
/// (retried with backoff when retryable, reported on <c>/v1/ready</c> either way), or reports that it
/// waits for someone else (<see cref="BootStepWaitingException"/>, polled without counting as a failure).
/// </summary>
public interface IBootStep
{
    /// <summary>Stable name shown on <c>/v1/ready</c>: worker-key, attest, register, master-secret.</summary>
    string Name { get; }

    /// <summary>A short, public description (no secrets) of what the step uses.</summary>
    string Detail { get; }

    Task RunAsync(CancellationToken cancellationToken);
}

/// <summary>A step failed; the message is safe to publish.</summary>
public sealed class BootStepException(string message, bool retryable, Exception? inner = null) : Exception(message, inner)
{
    public bool Retryable { get; } = retryable;
}

/// <summary>A step waits for an outside action (an operator's registration); polled at <see cref="PollInterval"/>.</summary>
public sealed class BootStepWaitingException(string message, TimeSpan pollInterval) : Exception(message)
{
    public TimeSpan PollInterval { get; } = pollInterval;
}
