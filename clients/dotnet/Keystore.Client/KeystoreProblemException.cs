using System.Text.Json.Nodes;

namespace Keystore.Client;

/// <summary>
/// An <c>application/problem+json</c> answer. <see cref="Type"/> is the stable
/// <c>urn:near-tee-keystore:problem:&lt;slug&gt;</c>; <see cref="TraceId"/> finds the request in the keystore's logs.
/// Subclasses group the statuses a caller handles differently.
/// </summary>
public class KeystoreProblemException(int status, string type, string? title, string? detail, string? traceId, JsonObject body)
    : Exception($"{status} {type}: {detail ?? title}")
{
    public const string TypePrefix = "urn:near-tee-keystore:problem:";

    public int Status { get; } = status;

    public string Type { get; } = type;

    /// <summary>The part after <see cref="TypePrefix"/>: <c>invalid-transaction</c>, <c>not-account-owner</c>, …</summary>
    public string Slug => Type.StartsWith(TypePrefix, StringComparison.Ordinal) ? Type[TypePrefix.Length..] : Type;

    public string? Title { get; } = title;

    public string? Detail { get; } = detail;

    public string? TraceId { get; } = traceId;

    /// <summary>The whole problem, extensions included (e.g. <c>steps</c> of a 503 <c>not-ready</c>).</summary>
    public JsonObject Body { get; } = body;

    /// <summary>For 403 <c>policy-denied</c>: the policy check that refused (<c>per-transaction</c>, <c>window:eth:1:daily</c>, <c>account-freeze</c>, …).</summary>
    public string? Rule => Text(Body, "rule");

    private static string? Text(JsonObject json, string name) => json[name] is JsonValue v && v.TryGetValue(out string? s) ? s : null;

    internal static KeystoreProblemException From(int status, JsonObject body)
    {
        string type = Text(body, "type") ?? $"{TypePrefix}http-{status}";
        string? title = Text(body, "title");
        string? detail = Text(body, "detail");
        string? traceId = Text(body, "traceId");
        return status switch
        {
            401 or 403 => new KeystoreAuthorizationException(status, type, title, detail, traceId, body),
            429 or 503 => new KeystoreUnavailableException(status, type, title, detail, traceId, body),
            >= 400 and < 500 => new KeystoreRequestException(status, type, title, detail, traceId, body),
            _ => new KeystoreProblemException(status, type, title, detail, traceId, body),
        };
    }
}
