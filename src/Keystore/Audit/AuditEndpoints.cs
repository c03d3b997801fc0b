using System.Globalization;
using System.Text.Json.Nodes;
using Keystore.Agents;
using Keystore.Api;
using Keystore.Problems;

namespace Keystore.Audit;

/// <summary>
/// Reading the audit log. Owners read their account's entries (owner-signed request). Anyone may read the chain of hashes
/// and the head: they carry no account data (sequence, time, hashes, signature), and publishing them is what lets an
/// operator or a user check the chain and its NEAR anchor with <c>verify-audit</c> without trusting this instance.
/// </summary>
public static class AuditEndpoints
{
    public const int MaxLimit = 1000;
    private const int DefaultLimit = 100;

    public static IEndpointRouteBuilder MapAuditEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/v1/audit/head", async (HttpContext http, AuditLog log, AuditKey key, AuditAnchorClient anchors) =>
        {
            AuditHead head = await log.GetHeadAsync(http.RequestAborted);
            return Json(new JsonObject
            {
                ["sequence"] = head.Sequence,
                ["hash"] = head.HashHex,
                ["auditPublicKey"] = key.PublicKeyText,
                ["anchoredSequence"] = anchors.LastAnchored < 0 ? null : anchors.LastAnchored,
            });
        }).RequireRateLimiting(UnauthenticatedRateLimit.Policy);

        app.MapGet("/v1/audit/chain", async (HttpContext http, AuditLog log, AuditKey key) =>
        {
            long after = Long(http.Request.Query, "after") ?? 0;
            int limit = Limit(http.Request.Query);
            IReadOnlyList<AuditEntry> links = await log.GetChainAsync(after, limit, http.RequestAborted);
            return Json(AuditChainExport.ToJson(key.PublicKeyText, links));
        }).RequireRateLimiting(UnauthenticatedRateLimit.Policy);

        app.MapGet("/v1/accounts/{account}/audit", async (string account, HttpContext http, AgentEndpoints.Owner owner, AuditLog log) =>
        {
            await owner.AuthenticateAsync(http, account, expectBody: false);
            IQueryCollection q = http.Request.Query;
            long after = Long(q, "after") ?? 0;
            int limit = Limit(q);
            string? agent = Single(q, "agent");
            if (agent is not null && !Near.Keys.Ed25519PublicKey.TryParse(agent, out _))
                throw new ProblemException(ProblemTypes.InvalidRequest, "agent must be an agent key 'ed25519:<base58>'.");
            DateTimeOffset? from = Time(q, "from"), to = Time(q, "to");
            IReadOnlyList<(AuditEntry Link, string Content)> entries = await log.GetAccountEntriesAsync(account, after, limit, agent, from, to, http.RequestAborted);
            var list = new JsonArray();
            foreach ((AuditEntry link, string content) in entries)
            {
                JsonObject entry = AuditChainExport.ToJson(link);
                entry["content"] = content;
                entry["entry"] = JsonNode.Parse(content);
                list.Add(entry);
            }
            return Json(new JsonObject
            {
                ["account"] = account,
                ["entries"] = list,
                ["next"] = entries.Count == limit ? entries[^1].Link.Sequence : null,
            });
        });
        return app;
    }

    private static IResult Json(JsonObject body) => Results.Text(body.ToJsonString(), "application/json");

    private static string? Single(IQueryCollection query, string name)
    {
        if (!query.TryGetValue(name, out Microsoft.Extensions.Primitives.StringValues values)) return null;
        if (values.Count != 1 || string.IsNullOrEmpty(values[0]))
            throw new ProblemException(ProblemTypes.InvalidRequest, $"{name} must be given once, not empty.");
        return values[0];
    }

    private static long? Long(IQueryCollection query, string name)
    {
        string? text = Single(query, name);
        if (text is null) return null;
        return long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out long value)
            ? value
            : throw new ProblemException(ProblemTypes.InvalidRequest, $"{name} must be a sequence number (0 or more).");
    }

    private static int Limit(IQueryCollection query)
    {
        long? limit = Long(query, "limit");
        return limit switch
        {
            null => DefaultLimit,
            >= 1 and <= MaxLimit => (int)limit.Value,
            _ => throw new ProblemException(ProblemTypes.InvalidRequest, $"limit must be between 1 and {MaxLimit}."),
        };
    }

    private static DateTimeOffset? Time(IQueryCollection query, string name)
    {
        string? text = Single(query, name);
        if (text is null) return null;
        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out DateTimeOffset t) && t.Year is >= 1970 and <= 9999
            ? t
            : throw new ProblemException(ProblemTypes.InvalidRequest, $"{name} must be an ISO 8601 time, e.g. 2026-12-02T10:00:00Z.");
    }
}
