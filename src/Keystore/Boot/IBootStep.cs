namespace Keystore.Boot;

/// <summary>
/// One step of the boot sequence. A step either completes, throws <see cref="BootFailureException"/>
/// (retried with backoff when retryable, reported on <c>/v1/ready</c> either way), or reports that it
/// waits for someone else (<see cref="BootStepWaitingException"/>, polled without counting as a failure).
/// NEAR faults and I/O errors may escape a step as they are: the boot service classifies them.
/// </summary>
public interface IBootStep
{
    /// <summary>Stable name shown on <c>/v1/ready</c>: worker-key, attest, register, master-secret.</summary>
    string Name { get; }

    /// <summary>A short, public description (no secrets) of what the step uses.</summary>
    string Detail { get; }

    Task RunAsync(CancellationToken cancellationToken);
}
