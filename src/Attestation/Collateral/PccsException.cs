namespace Keystore.Attestation.Collateral;

/// <summary>Collateral could not be fetched: the PCCS is unreachable, answered an error, or sent something malformed.</summary>
public sealed class PccsException(string resource, string message, int? statusCode = null, Exception? inner = null)
    : Exception($"PCCS {resource}: {message}", inner)
{
    public string Resource { get; } = resource;
    public int? StatusCode { get; } = statusCode;
}
