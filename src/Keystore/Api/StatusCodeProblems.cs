using Keystore.Problems;

namespace Keystore.Api;

/// <summary>
/// Bodies for responses the HTTP stack ends without one (no route, wrong method): the same problem+json
/// shape and <c>urn:near-tee-keystore:problem:*</c> types as every other error, so clients switch on one vocabulary.
/// </summary>
public static class StatusCodeProblems
{
    public static Task WriteAsync(HttpContext context)
    {
        HttpResponse response = context.Response;
        ProblemType type = ProblemTypes.ForStatus(response.StatusCode);
        string detail = response.StatusCode switch
        {
            StatusCodes.Status404NotFound => "There is no route at this path; the routes are under /v1 (see the README).",
            StatusCodes.Status405MethodNotAllowed => response.Headers.Allow.Count > 0
                ? $"This route does not take {context.Request.Method}; it takes {response.Headers.Allow}."
                : $"This route does not take {context.Request.Method}.",
            _ => type.Title,
        };
        return ProblemResults.For(type, detail).ExecuteAsync(context);
    }
}
