using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using Keystore.Agents;
using Keystore.Api;
using Keystore.Approvals;
using Keystore.Auth;
using Keystore.Boot;
using Keystore.Configuration;
using Keystore.Json;
using Keystore.Policies.Documents;
using Keystore.Problems;
using Microsoft.Extensions.Options;

namespace Keystore.Export;

public static class ExportEndpoints
{
    /// <summary>
    /// <c>POST /v1/accounts/{account}/export</c>: the owner's mnemonic and chosen chain keys, encrypted to the age
    /// recipient the owner names, as armored text. Checks run outside-in (account, size, owner signature,
    /// readiness, body, policy, rate limit); keys are derived only after all passed, the plaintext is wiped as
    /// soon as it is encrypted, and only ciphertext and the names of what it holds leave.
    /// </summary>
    public static IEndpointRouteBuilder MapExportEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost("/v1/accounts/{account}/export", async (string account, HttpContext http,
            KeystoreState state, ChainSignerRegistry chains, NearRequestAuthenticator authenticator, IOptions<KeystoreOptions> options,
            IExportPolicy policy, ExportBudget budget, ExportAuditTrail audit, AccountExporter exporter, ApprovalStore store, TimeProvider time) =>
        {
            RequestValidation.Account(account);
            byte[] body = await RequestBodyReader.ReadAsync(http.Request, options.Value.MaxBodyBytes, http.RequestAborted);
            NearAuthorization caller = await authenticator.AuthenticateAsync(http.Request, account, body, http.RequestAborted);
            state.RequireMasterSecret();

            ExportRequest request;
            using (JsonDocument document = StrictJson.Parse(body))
                request = ExportRequest.Parse(document.RootElement, chains);
            var export = new ExportContext(account, caller.PublicKeyText, request.Recipient.ToString(), request.Contents);

            ExportVerdict verdict = await policy.EvaluateAsync(export, http.RequestAborted);
            if (!verdict.Allowed)
            {
                string rule = verdict.Rule ?? ExportVerdict.AccountExportRule;
                string reason = verdict.Reason ?? "The account's policy does not allow exports.";
                await audit.RefusedAsync(export, rule, reason, CancellationToken.None);
                return ProblemResults.For(AgentProblems.PolicyDenied, reason, new Dictionary<string, object?> { ["rule"] = rule });
            }
            if (verdict.Approvals is { } approvals)
                return await OpenApprovalAsync(http, export, body, approvals, store, audit, options.Value, time);
            if (budget.TryTake(account) is { } reopens)
            {
                await audit.RefusedAsync(export, ExportAuditTrail.RateLimitRule, "rate limit", CancellationToken.None);
                int seconds = (int)Math.Ceiling(Math.Max(1, (reopens - time.GetUtcNow()).TotalSeconds));
                http.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
                return ProblemResults.For(ExportProblemTypes.ExportRateLimited, string.Create(CultureInfo.InvariantCulture,
                    $"{account} may export {options.Value.Export.PerAccountPerHour} times an hour; the next export opens at {reopens:O}."));
            }

            JsonObject answer = await exporter.ProduceAsync(export, request);
            return Results.Text(answer.ToJsonString(), "application/json");
        });
        return app;
    }

    /// <summary>
    /// The policy wants approvals: the exact body is sealed in the approvals store (kind <c>export</c>) and answered 202 like
    /// a sign request waiting for approvals. Nothing is derived now; the hourly budget is taken when the export is produced.
    /// </summary>
    private static async Task<IResult> OpenApprovalAsync(HttpContext http, ExportContext export, byte[] body, ExportApprovals approvals,
        ApprovalStore store, ExportAuditTrail audit, KeystoreOptions options, TimeProvider time)
    {
        DateTimeOffset now = time.GetUtcNow();
        byte[] payloadHash = SHA256.HashData(body);
        var pending = new PendingApproval
        {
            Id = ApprovalStore.NewId(),
            Account = export.Account,
            Agent = export.CallerPublicKey,
            Chain = ApprovalKinds.Export,
            Body = body,
            PayloadHash = Convert.ToHexStringLower(payloadHash),
            Rule = ExportVerdict.AccountExportRule,
            Required = approvals.Required,
            Approvers = approvals.Approvers,
            CreatedAt = now,
            ExpiresAt = now.AddSeconds(options.Approvals.ExpirySeconds),
            State = ApprovalStates.Pending,
        };
        if (!await store.CreateAsync(pending, options.Approvals.MaxPendingPerAccount, http.RequestAborted))
            throw new ProblemException(ApprovalProblems.TooManyPending,
                $"'{export.Account}' has {options.Approvals.MaxPendingPerAccount} requests waiting for approvals (Keystore:Approvals:MaxPendingPerAccount); approve, reject or cancel some first.");
        await audit.PendingAsync(export, pending.Id, payloadHash, pending.Required, pending.Approvers.Count, CancellationToken.None);
        http.Response.Headers.Location = $"/v1/accounts/{export.Account}/approvals/{pending.Id}";
        return Results.Text(ApprovalView.Describe(pending, now, includeBody: false).ToJsonString(), "application/json", statusCode: StatusCodes.Status202Accepted);
    }
}
