namespace Keystore.Problems;

/// <summary>
/// One kind of failure the API reports as RFC 9457 <c>application/problem+json</c>. The
/// <see cref="Uri"/> is stable: clients may switch on it.
/// </summary>
public sealed record ProblemType(string Slug, int Status, string Title)
{
    public const string UriPrefix = "urn:near-tee-keystore:problem:";

    public string Uri => UriPrefix + Slug;
}
