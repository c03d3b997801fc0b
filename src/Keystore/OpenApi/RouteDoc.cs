namespace Keystore.OpenApi;

/// <summary>
/// What the OpenAPI document says about one route beyond what routing knows: summary, auth, the request body,
/// the query parameters the handler reads itself, its success answers and the statuses its problems use.
/// </summary>
public sealed record RouteDoc(
    string Summary,
    string Description,
    RouteAuth Auth,
    IReadOnlyList<ResponseDoc> Responses,
    IReadOnlyList<int> ProblemStatuses,
    string? RequestSchema = null,
    IReadOnlyDictionary<string, string>? RequestExamples = null,
    bool IndexQuery = false,
    bool AccountAndChain = false);
