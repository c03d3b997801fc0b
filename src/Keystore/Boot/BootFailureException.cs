namespace Keystore.Boot;

/// <summary>
/// Something the boot needs cannot be had now: a step, the TEE backend or the master-secret source failed. The
/// message is safe to publish on <c>/v1/ready</c>. <see cref="Retryable"/> is false when trying again cannot
/// help (a wrong setting, a refused environment, a definite answer): the step then stays failed.
/// </summary>
public sealed class BootFailureException(string message, bool retryable, Exception? inner = null) : Exception(message, inner)
{
    public bool Retryable { get; } = retryable;
}
