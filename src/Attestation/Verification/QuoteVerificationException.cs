namespace Keystore.Attestation.Verification;

/// <summary>A failed verification step. <see cref="Check"/> is a stable machine-readable name (e.g. <c>tcb_info.window</c>).</summary>
public sealed class QuoteVerificationException(string check, string message, Exception? inner = null)
    : Exception($"{check}: {message}", inner)
{
    public string Check { get; } = check;
}
