using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Keystore.Agents;
using Keystore.Audit;
using Keystore.Problems;

namespace Keystore.Webhooks;

/// <summary>
/// The owner's routes for the account's webhook (one per account). Signed by a full-access key of the account, as every
/// owner route; an agent key gets 403 <c>owner-only</c>. The HMAC secret is answered once, by the PUT that makes it.
/// </summary>
public static class WebhookEndpoints
{
    public const string Route = "/v1/accounts/{account}/webhook";
    private const int SecretLength = 32;

    public static IEndpointRouteBuilder MapWebhookEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPut(Route, async (string account, HttpContext http, AgentEndpoints.Owner owner, WebhookAddressPolicy addresses, WebhookStore webhooks,
            IAuditLog audit, TimeProvider time) =>
        {
            JsonElement body = await owner.AuthenticateAsync(http, account);
            (string url, string[] events) = Parse(body);
            Uri checkedUrl = await addresses.CheckAsync(url, http.RequestAborted);
            byte[] secret = RandomNumberGenerator.GetBytes(SecretLength);
            try
            {
                var webhook = new WebhookRegistration(checkedUrl.AbsoluteUri, events, secret, time.GetUtcNow());
                await webhooks.SetAsync(account, webhook, http.RequestAborted);
                await audit.AppendAsync(new AuditEvent(account, WebhookEvents.WebhookSet)
                {
                    // The URL may carry a receiver's token: the log keeps its hash only.
                    PayloadHash = SHA256.HashData(Encoding.UTF8.GetBytes(webhook.Url)),
                    Detail = "events=" + string.Join(",", events),
                }, CancellationToken.None);
                JsonObject answer = Describe(account, webhook);
                answer["secret"] = Base64Url(secret);
                // The one answer that carries the secret: no cache along the way may keep it.
                http.Response.Headers.CacheControl = "no-store";
                return Json(answer);
            }
            finally
            {
                CryptographicOperations.ZeroMemory(secret);
            }
        });

        app.MapGet(Route, async (string account, HttpContext http, AgentEndpoints.Owner owner, WebhookStore webhooks) =>
        {
            await owner.AuthenticateAsync(http, account, expectBody: false);
            WebhookRegistration webhook = await webhooks.GetAsync(account, http.RequestAborted)
                ?? throw new ProblemException(WebhookProblems.NotFound, $"'{account}' has no webhook.");
            CryptographicOperations.ZeroMemory(webhook.Secret);
            return Json(Describe(account, webhook));
        });

        app.MapDelete(Route, async (string account, HttpContext http, AgentEndpoints.Owner owner, WebhookStore webhooks, IAuditLog audit) =>
        {
            await owner.AuthenticateAsync(http, account, expectBody: false);
            if (!await webhooks.DeleteAsync(account, http.RequestAborted))
                throw new ProblemException(WebhookProblems.NotFound, $"'{account}' has no webhook.");
            await audit.AppendAsync(new AuditEvent(account, WebhookEvents.WebhookRemoved), CancellationToken.None);
            return Json(new JsonObject { ["account"] = account, ["deleted"] = true });
        });
        return app;
    }

    private static (string Url, string[] Events) Parse(JsonElement body)
    {
        if (body.ValueKind != JsonValueKind.Object)
            throw Invalid("The body must be a JSON object {\"url\": \"https://…\", \"events\": [\"pending\", …]}.");
        foreach (JsonProperty property in body.EnumerateObject())
            if (property.Name is not ("url" or "events"))
                throw Invalid($"Unknown member '{property.Name}'; this route takes url and events.");
        if (!body.TryGetProperty("url", out JsonElement url) || url.ValueKind != JsonValueKind.String)
            throw Invalid("url is required, as a string.");
        if (!body.TryGetProperty("events", out JsonElement events) || events.ValueKind != JsonValueKind.Array)
            throw Invalid("events is required, as an array of event kinds.");
        int count = events.GetArrayLength();
        if (count is 0 or > WebhookEvents.MaxEvents)
            throw Invalid($"events must name 1 to {WebhookEvents.MaxEvents} kinds.");
        var kinds = new List<string>(count);
        foreach (JsonElement e in events.EnumerateArray())
        {
            if (e.ValueKind != JsonValueKind.String || e.GetString() is not { } kind || !WebhookEvents.Known.Contains(kind))
                throw Invalid($"events may name only {string.Join(", ", WebhookEvents.Known.Order(StringComparer.Ordinal))}.");
            if (kinds.Contains(kind, StringComparer.Ordinal))
                throw Invalid($"events names '{kind}' twice.");
            kinds.Add(kind);
        }
        return (url.GetString()!, kinds.ToArray());
    }

    private static JsonObject Describe(string account, WebhookRegistration webhook) => new()
    {
        ["account"] = account,
        ["url"] = webhook.Url,
        ["events"] = new JsonArray(webhook.Events.Select(e => (JsonNode?)e).ToArray()),
        ["createdAt"] = webhook.CreatedAt.ToString("O", CultureInfo.InvariantCulture),
    };

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static ProblemException Invalid(string detail) => new(WebhookProblems.InvalidWebhook, detail);

    private static IResult Json(JsonObject body) => Results.Text(body.ToJsonString(), "application/json");
}
