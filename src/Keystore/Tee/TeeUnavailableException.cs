namespace Keystore.Tee;

/// <summary>The configured TEE cannot attest; the message is safe to show on <c>/v1/ready</c>.</summary>
public sealed class TeeUnavailableException(string message, bool retryable, Exception? inner = null) : Exception(message, inner)
{
    public bool Retryable { get; } = retryable;
}
