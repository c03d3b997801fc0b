using System.Globalization;
using System.Text.Json.Nodes;
using Keystore.Audit;
using Keystore.Auth;
using Keystore.Problems;
using Keystore.State;

namespace Keystore.Agents;

/// <summary>
/// What stands between an authenticated sign request and its signature: the <c>Idempotency-Key</c> (a repeated request
/// gets the answer already given), the account freeze (owners too), the agent's policy (<see cref="IAgentSigningGate"/>)
/// and its spending windows, reserved before signing and committed after, or released when no signature came out.
/// <c>?dryRun=true</c> runs the same checks and answers the decision instead of signing.
/// </summary>
public sealed class SigningGuard(
    AgentStore agents, IAgentSigningGate gate, ISpendingWindows windows, IdempotencyStore idempotency, TimeProvider time, ILogger<SigningGuard> logger,
    IAuditLog audit)
{
    public const string IdempotencyHeader = "Idempotency-Key";
    public const string FreezeRule = "account-freeze";

    /// <param name="sign">Derives the key and signs; runs only when every check passed.</param>
    public async Task<IResult> RunAsync(HttpContext http, string account, string chain, AuthenticatedCaller caller, byte[] body, Func<JsonObject> sign)
    {
        CancellationToken cancellationToken = http.RequestAborted;
        bool dryRun = DryRun(http.Request.Query);
        string? key = IdempotencyKey(http.Request.Headers);
        if (dryRun)
            return await DryRunAsync(account, chain, caller, body, cancellationToken).ConfigureAwait(false);

        byte[]? requestHash = null;
        if (key is not null)
        {
            requestHash = IdempotencyStore.RequestHash(http.Request.Method, http.Request.PathBase + http.Request.Path + http.Request.QueryString, body);
            IdempotencyStart start = await idempotency.BeginAsync(account, key, requestHash, cancellationToken).ConfigureAwait(false);
            switch (start.Outcome)
            {
                case IdempotencyOutcome.Replay:
                    http.Response.Headers["Idempotent-Replayed"] = "true";
                    return Results.Text(start.Replay!.Body, "application/json", statusCode: start.Replay.Status);
                case IdempotencyOutcome.Conflict:
                    throw new ProblemException(AgentProblems.IdempotencyConflict, "This Idempotency-Key was already used with another request; use a new key for a new request.");
                case IdempotencyOutcome.InProgress:
                    throw new ProblemException(AgentProblems.IdempotencyConflict, "A request with this Idempotency-Key is still running; retry it shortly.");
            }
        }

        WindowReservation? reservation = null;
        bool done = false;
        // Every decision below is audited before it is answered: the payload only as its hash.
        var decided = new AuditEvent(account, AuditKinds.Denied) { Agent = caller.Agent?.PublicKey, Chain = chain, PayloadHash = System.Security.Cryptography.SHA256.HashData(body) };
        try
        {
            DateTimeOffset now = time.GetUtcNow();
            AccountPolicy policy = await agents.GetAccountPolicyAsync(account, cancellationToken).ConfigureAwait(false);
            if (policy.Frozen)
                return await AuditedDenialAsync(decided, FreezeRule, $"'{account}' is frozen by its owner: nothing is signed until the freeze is lifted.").ConfigureAwait(false);
            if (caller.Agent is { } agent)
            {
                AgentGateDecision decision = await gate.EvaluateAsync(new AgentSigningRequest(account, agent, policy, chain, body, DryRun: false, now), cancellationToken).ConfigureAwait(false);
                decided = decided with { Amounts = decision.Charges.Select(c => KeyValuePair.Create(c.Key, c.Amount.ToString(CultureInfo.InvariantCulture))).ToArray() };
                if (!decision.Allowed)
                    return await AuditedDenialAsync(decided, decision.RuleId ?? "policy", decision.Message ?? "The policy does not allow this request.").ConfigureAwait(false);
                reservation = await windows.ReserveAsync(account, decision.Charges, now, cancellationToken).ConfigureAwait(false);
                if (reservation.Exceeded is { } exceeded)
                    return await AuditedDenialAsync(decided, exceeded.Charge.RuleId, ExceededMessage(exceeded), Window(exceeded)).ConfigureAwait(false);
            }

            JsonObject result = sign();
            Metrics.PolicyDecisionMetrics.Record(Metrics.PolicyDecisionMetrics.Allow, null);
            if (reservation is not null)
                await windows.CommitAsync(reservation, CancellationToken.None).ConfigureAwait(false);
            done = true;
            // A signature nobody can find in the log is not handed out: if the entry cannot be written, the request fails (503).
            await audit.AppendAsync(decided with { Kind = AuditKinds.Signed }, CancellationToken.None).ConfigureAwait(false);
            string json = result.ToJsonString();
            if (key is not null)
                await idempotency.CompleteAsync(account, key, requestHash!, new StoredResponse(StatusCodes.Status200OK, json), CancellationToken.None).ConfigureAwait(false);
            return Results.Text(json, "application/json");
        }
        finally
        {
            if (!done)
                await UndoAsync(account, key, reservation).ConfigureAwait(false);
        }
    }

    /// <summary>No signature came out (a refusal, a chain error, a fault): the held amounts and the key are given back.</summary>
    private async Task UndoAsync(string account, string? key, WindowReservation? reservation)
    {
        try
        {
            if (reservation is { Reserved: true })
                await windows.ReleaseAsync(reservation, CancellationToken.None).ConfigureAwait(false);
            if (key is not null)
                await idempotency.AbandonAsync(account, key, CancellationToken.None).ConfigureAwait(false);
        }
        catch (ProblemException ex)
        {
            // The hold lapses by itself (ReservationPayload.Hold) and the key's pending mark after IdempotencyStore.PendingTimeout.
            logger.LogWarning("Could not give back a reservation or idempotency key for {Account}: {Reason}", account, ex.Message);
        }
    }

    private async Task<IResult> DryRunAsync(string account, string chain, AuthenticatedCaller caller, byte[] body, CancellationToken cancellationToken)
    {
        DateTimeOffset now = time.GetUtcNow();
        AccountPolicy policy = await agents.GetAccountPolicyAsync(account, cancellationToken).ConfigureAwait(false);
        var answer = new JsonObject { ["dryRun"] = true, ["caller"] = caller.IsOwner ? "owner" : "agent" };
        IReadOnlyList<WindowTotal> totals = [];
        string? rule = null, message = null;
        if (policy.Frozen)
        {
            (rule, message) = (FreezeRule, $"'{account}' is frozen by its owner.");
        }
        else if (caller.Agent is { } agent)
        {
            AgentGateDecision decision = await gate.EvaluateAsync(new AgentSigningRequest(account, agent, policy, chain, body, DryRun: true, now), cancellationToken).ConfigureAwait(false);
            if (!decision.Allowed)
                (rule, message) = (decision.RuleId ?? "policy", decision.Message ?? "The policy does not allow this request.");
            else
            {
                totals = await windows.GetTotalsAsync(account, decision.Charges, now, cancellationToken).ConfigureAwait(false);
                if (totals.FirstOrDefault(t => t.Exceeds) is { } exceeded)
                    (rule, message) = (exceeded.Charge.RuleId, ExceededMessage(exceeded));
            }
        }
        Metrics.PolicyDecisionMetrics.Record(Metrics.PolicyDecisionMetrics.DryRun, rule);
        answer["decision"] = rule is null ? "allow" : "deny";
        answer["rule"] = rule;
        answer["message"] = message;
        answer["windows"] = new JsonArray(totals.Select(Window).ToArray<JsonNode?>());
        return Results.Text(answer.ToJsonString(), "application/json");
    }

    private async Task<IResult> AuditedDenialAsync(AuditEvent decided, string rule, string message, JsonObject? window = null)
    {
        await audit.AppendAsync(decided with { Rule = rule }, CancellationToken.None).ConfigureAwait(false);
        Metrics.PolicyDecisionMetrics.Record(Metrics.PolicyDecisionMetrics.Deny, rule);
        return Denied(rule, message, window);
    }

    private static IResult Denied(string rule, string message, JsonObject? window = null)
    {
        var extensions = new Dictionary<string, object?> { ["rule"] = rule };
        if (window is not null) extensions["window"] = window;
        return ProblemResults.For(AgentProblems.PolicyDenied, message, extensions);
    }

    private static string ExceededMessage(WindowTotal t) => string.Create(CultureInfo.InvariantCulture,
        $"Rule '{t.Charge.RuleId}' allows {t.Charge.Limit} per {t.Charge.Window}; {t.Current} is already used in this window and this request adds {t.Charge.Amount}.");

    private static JsonObject Window(WindowTotal t) => new()
    {
        ["key"] = t.Charge.Key,
        ["rule"] = t.Charge.RuleId,
        ["windowSeconds"] = (long)t.Charge.Window.TotalSeconds,
        ["limit"] = t.Charge.Limit.ToString(CultureInfo.InvariantCulture),
        ["current"] = t.Current.ToString(CultureInfo.InvariantCulture),
        ["after"] = t.After.ToString(CultureInfo.InvariantCulture),
    };

    private static bool DryRun(IQueryCollection query)
    {
        if (!query.TryGetValue("dryRun", out Microsoft.Extensions.Primitives.StringValues values)) return false;
        return values.ToString() switch
        {
            "true" => true,
            "false" => false,
            _ => throw new ProblemException(ProblemTypes.InvalidRequest, "dryRun must be 'true' or 'false', once."),
        };
    }

    /// <summary>1 to 255 visible ASCII characters, once; anything else is refused rather than half-used.</summary>
    private static string? IdempotencyKey(IHeaderDictionary headers)
    {
        if (!headers.TryGetValue(IdempotencyHeader, out Microsoft.Extensions.Primitives.StringValues values)) return null;
        if (values.Count != 1 || values[0] is not { Length: >= 1 and <= 255 } key || key.Any(ch => ch is < '!' or > '~'))
            throw new ProblemException(AgentProblems.InvalidIdempotencyKey, "Idempotency-Key must be one header of 1 to 255 visible ASCII characters.");
        return key;
    }
}
