namespace Keystore.Chains;

/// <summary>
/// A sign request that cannot be honoured: malformed, inconsistent, or asking for something this key cannot sign.
/// The API maps <see cref="Error"/> to its problem type. The message describes the input, never key material.
/// </summary>
public sealed class ChainRequestException(ChainError error, string message) : Exception(message)
{
    public ChainError Error { get; } = error;
}
