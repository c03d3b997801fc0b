using Microsoft.AspNetCore.Mvc;

namespace Keystore.Problems;

/// <summary>Writes problems in one shape: RFC 9457 with the stable type URI.</summary>
public static class ProblemResults
{
    public static IResult For(ProblemType type, string detail, IDictionary<string, object?>? extensions = null) =>
        Results.Problem(new ProblemDetails
        {
            Type = type.Uri,
            Title = type.Title,
            Status = type.Status,
            Detail = detail,
            Extensions = extensions ?? new Dictionary<string, object?>(),
        });
}
