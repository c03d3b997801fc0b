namespace Keystore.Attestation.Quotes;

/// <summary>A quote that is truncated, oversized or internally inconsistent. <see cref="Field"/> names the field that failed.</summary>
public sealed class QuoteParseException(string field, string message) : Exception($"{field}: {message}")
{
    public string Field { get; } = field;
}
