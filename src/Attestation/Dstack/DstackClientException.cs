namespace Keystore.Attestation.Dstack;

/// <summary>
/// A failed guest-agent call. <see cref="StatusCode"/> is set for HTTP errors; the message carries the
/// method and status but never request payloads (they may hold key paths or report data).
/// </summary>
public sealed class DstackClientException(string method, string message, int? statusCode = null, Exception? inner = null)
    : Exception($"dstack {method}: {message}", inner)
{
    public string Method { get; } = method;
    public int? StatusCode { get; } = statusCode;
    public bool IsTimeout => InnerException is TimeoutException;
}
