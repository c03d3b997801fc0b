using System.Text.Json;
using System.Text.Json.Nodes;
using Keystore.Agents;
using Keystore.Api;
using Keystore.Auth;
using Keystore.Configuration;
using Keystore.Json;
using Keystore.Problems;
using Microsoft.Extensions.Options;

namespace Keystore.Approvals;

/// <summary>
/// The routes of requests waiting for m-of-n approvals. The owner lists, reads and cancels; the agent that asked reads
/// its own; each approver (a NEAR account the rule names, signing with one of its own full-access keys, checked as an
/// owner's would be) reads, approves or rejects, naming the SHA-256 of the exact body it approves.
/// </summary>
public static class ApprovalEndpoints
{
    public const int DefaultPageSize = 50;
    public const int MaxPageSize = 100;

    public static IEndpointRouteBuilder MapApprovalEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/v1/accounts/{account}/approvals", async (string account, HttpContext http, AgentEndpoints.Owner owner, ApprovalStore store) =>
        {
            await owner.AuthenticateAsync(http, account, expectBody: false);
            int limit = Limit(http.Request.Query);
            ApprovalCursor? cursor = Cursor(http.Request.Query);
            (IReadOnlyList<PendingApproval> page, string? next) = await store.ListOpenAsync(account, cursor, limit, http.RequestAborted);
            DateTimeOffset now = http.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow();
            return Json(new JsonObject
            {
                ["account"] = account,
                ["approvals"] = new JsonArray(page.Select(p => (JsonNode?)ApprovalView.Describe(p, now, includeBody: false)).ToArray()),
                ["next"] = next,
            });
        });

        app.MapGet("/v1/accounts/{account}/approvals/{id}", async (string account, string id, HttpContext http, NearRequestAuthenticator authenticator,
            IOptions<KeystoreOptions> options, ApprovalService approvals, TimeProvider time) =>
        {
            RequestValidation.Account(account);
            byte[] body = await RequestBodyReader.ReadAsync(http.Request, options.Value.MaxBodyBytes, http.RequestAborted);
            NearAuthorization credential = NearAuthorization.Parse(http.Request.Headers.Authorization.ToString());
            PendingApproval approval;
            bool ownerAsks = false;
            if (credential.AccountId == account)
            {
                // The owner, or the agent that asked (another agent of the account sees nothing of it). The account being
                // named an approver makes its full-access keys approvers, never its agent keys: they are refused here too.
                AuthenticatedCaller caller = await authenticator.AuthenticateCallerAsync(http.Request, account, body, http.RequestAborted);
                NoBody(body);
                approval = await approvals.GetAsync(account, Id(id), http.RequestAborted);
                if (caller.Agent is { } agent && agent.PublicKey != approval.Agent)
                    throw new ProblemException(ApprovalProblems.NotAnApprover, $"Request {id} was made by another agent key of '{account}'.");
                ownerAsks = caller.Agent is null;
            }
            else
            {
                string approver = await ApproverAsync(http, authenticator, credential, body);
                NoBody(body);
                approval = await approvals.GetAsync(account, Id(id), http.RequestAborted);
                if (!approval.Approvers.Contains(approver, StringComparer.Ordinal))
                    throw new ProblemException(ApprovalProblems.NotAnApprover, $"'{approver}' is not an approver of request {id}.");
            }
            return Json(ApprovalView.Describe(approval, time.GetUtcNow(), includeBody: true, ownerAsks));
        });

        app.MapPost("/v1/accounts/{account}/approvals/{id}/approve", (string account, string id, HttpContext http, NearRequestAuthenticator authenticator,
            IOptions<KeystoreOptions> options, ApprovalService approvals, TimeProvider time) => VoteAsync(account, id, http, authenticator, options, approvals, time, approve: true));

        app.MapPost("/v1/accounts/{account}/approvals/{id}/reject", (string account, string id, HttpContext http, NearRequestAuthenticator authenticator,
            IOptions<KeystoreOptions> options, ApprovalService approvals, TimeProvider time) => VoteAsync(account, id, http, authenticator, options, approvals, time, approve: false));

        app.MapDelete("/v1/accounts/{account}/approvals/{id}", async (string account, string id, HttpContext http, AgentEndpoints.Owner owner,
            ApprovalService approvals, TimeProvider time) =>
        {
            await owner.AuthenticateAsync(http, account, expectBody: false);
            PendingApproval approval = await approvals.CancelAsync(account, Id(id), http.RequestAborted);
            return Json(ApprovalView.Describe(approval, time.GetUtcNow(), includeBody: false));
        });
        return app;
    }

    private static async Task<IResult> VoteAsync(string account, string id, HttpContext http, NearRequestAuthenticator authenticator,
        IOptions<KeystoreOptions> options, ApprovalService approvals, TimeProvider time, bool approve)
    {
        RequestValidation.Account(account);
        byte[] body = await RequestBodyReader.ReadAsync(http.Request, options.Value.MaxBodyBytes, http.RequestAborted);
        NearAuthorization credential = NearAuthorization.Parse(http.Request.Headers.Authorization.ToString());
        string approver = await ApproverAsync(http, authenticator, credential, body);
        byte[] payloadHash;
        using (JsonDocument document = StrictJson.Parse(body))
            payloadHash = PayloadHash(document.RootElement);
        PendingApproval approval = await approvals.VoteAsync(account, Id(id), approver, payloadHash, approve, http.RequestAborted);
        return Json(ApprovalView.Describe(approval, time.GetUtcNow(), includeBody: false));
    }

    /// <summary>
    /// The approver is the account the credential names, proven with one of its full-access keys (an agent key of any
    /// account is refused: approvals are a human's, or another account's, decision).
    /// </summary>
    private static async Task<string> ApproverAsync(HttpContext http, NearRequestAuthenticator authenticator, NearAuthorization credential, byte[] body)
    {
        RequestValidation.Account(credential.AccountId);
        await authenticator.AuthenticateAsync(http.Request, credential.AccountId, body, http.RequestAborted);
        return credential.AccountId;
    }

    private static byte[] PayloadHash(JsonElement body)
    {
        if (body.ValueKind != JsonValueKind.Object || body.EnumerateObject().Count() != 1
            || !body.TryGetProperty("payloadHash", out JsonElement hash) || hash.ValueKind != JsonValueKind.String
            || hash.GetString() is not { Length: 64 } hex || !hex.All(char.IsAsciiHexDigit))
            throw new ProblemException(ApprovalProblems.Invalid, "The body must be {\"payloadHash\": \"<64 hex digits: SHA-256 of the pending request's body>\"}.");
        return Convert.FromHexString(hex);
    }

    private static string Id(string id) => ApprovalStore.IsValidId(id)
        ? id
        : throw new ProblemException(ApprovalProblems.Invalid, "An approval request id is 22 base64url characters (128 bits).");

    private static void NoBody(byte[] body)
    {
        if (body.Length != 0) throw new ProblemException(ProblemTypes.InvalidRequest, "This route takes no body.");
    }

    private static int Limit(IQueryCollection query)
    {
        if (!query.TryGetValue("limit", out Microsoft.Extensions.Primitives.StringValues values)) return DefaultPageSize;
        if (values.Count != 1 || values[0] is not { Length: >= 1 and <= 3 } text || !text.All(char.IsAsciiDigit)
            || int.Parse(text, System.Globalization.CultureInfo.InvariantCulture) is < 1 or > MaxPageSize)
            throw new ProblemException(ApprovalProblems.Invalid, $"limit must be an integer from 1 to {MaxPageSize}, once.");
        return int.Parse(values[0]!, System.Globalization.CultureInfo.InvariantCulture);
    }

    private static ApprovalCursor? Cursor(IQueryCollection query)
    {
        if (!query.TryGetValue("cursor", out Microsoft.Extensions.Primitives.StringValues values)) return null;
        if (values.Count != 1 || values[0] is not { } text || !ApprovalCursor.TryParse(text, out ApprovalCursor? cursor))
            throw new ProblemException(ApprovalProblems.Invalid, "cursor must be the 'next' of a previous page, once.");
        return cursor;
    }

    private static IResult Json(JsonObject body) => Results.Text(body.ToJsonString(), "application/json");
}
