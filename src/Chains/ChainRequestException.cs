namespace Keystore.Chains;

/// <summary>
/// A sign request that cannot be honoured: malformed, inconsistent, or asking for something this
/// key cannot sign. The HTTP layer maps <see cref="Problem"/> to an RFC 9457 problem type and a
/// 400 status. The message must describe the input, never key material.
/// </summary>
public sealed class ChainRequestException : Exception
{
    public ChainRequestException(string problem, string message) : base(message) => Problem = problem;

    /// <summary>A stable slug, e.g. <c>invalid-transaction</c>, <c>invalid-psbt</c>, <c>not-a-signer</c>.</summary>
    public string Problem { get; }
}
