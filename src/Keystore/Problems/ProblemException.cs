namespace Keystore.Problems;

/// <summary>
/// Ends a request with a problem response. <see cref="Exception.Message"/> becomes the problem's
/// <c>detail</c>, so it describes the input and never contains key material.
/// </summary>
public sealed class ProblemException(ProblemType problem, string detail) : Exception(detail)
{
    public ProblemType Problem { get; } = problem;
}
