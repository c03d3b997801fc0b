using System.Globalization;
using System.Text.Json.Nodes;
using Keystore.Approvals;
using Keystore.Audit;
using Keystore.Auth;
using Keystore.Configuration;
using Keystore.Problems;
using Keystore.State;
using Microsoft.Extensions.Options;

namespace Keystore.Agents;

/// <summary>
/// What stands between an authenticated sign request and its signature: the <c>Idempotency-Key</c> (a repeated request
/// gets the answer already given), the account freeze (owners too), the agent's policy (<see cref="IAgentSigningGate"/>)
/// and its spending windows, reserved before signing and committed with the audit entry that logs the signature (one
/// transaction), or released when no signature came out.
/// <c>?dryRun=true</c> runs the same checks and answers the decision instead of signing.
/// </summary>
public sealed class SigningGuard(
    AgentStore agents, IAgentSigningGate gate, ISpendingWindows windows, IdempotencyStore idempotency, TimeProvider time, ILogger<SigningGuard> logger,
    IAuditLog audit, ApprovalStore approvals, IOptions<KeystoreOptions> options, AccountFreeze freeze)
{
    /// <summary>The rule a request finished after its approvals is denied by when its agent key is gone or expired meanwhile.</summary>
    public const string AgentInactiveRule = "agent-inactive";

    public const string IdempotencyHeader = "Idempotency-Key";

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
            // The signer by its bytes (canonical text), not as the credential spelled it: one caller, one fingerprint.
            requestHash = IdempotencyStore.RequestHash(new Near.Keys.Ed25519PublicKey(caller.Credential.PublicKey).ToString(), http.Request.Method, http.Request.PathBase + http.Request.Path + http.Request.QueryString, body);
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
            (AccountPolicy policy, bool frozen) = await freeze.CheckAsync(account, cancellationToken).ConfigureAwait(false);
            if (frozen)
                return await freeze.RefuseAsync(decided).ConfigureAwait(false);
            if (caller.Agent is { } agent)
            {
                AgentGateDecision decision = await gate.EvaluateAsync(new AgentSigningRequest(account, agent, policy, chain, body, DryRun: false, now), cancellationToken).ConfigureAwait(false);
                decided = decided with { Amounts = decision.AuditAmounts() };
                if (decision.Approval is { } approval)
                {
                    Metrics.PolicyDecisionMetrics.Record(Metrics.PolicyDecisionMetrics.ApprovalRequired, decision.ApprovalRuleId);
                    (IResult waiting, string? accepted) = await OpenApprovalAsync(http, account, chain, agent, body, decision, approval, decided, now, cancellationToken).ConfigureAwait(false);
                    if (accepted is not null && key is not null)
                    {
                        // A retry with the same key gets the same request id, not a second pending request.
                        await idempotency.CompleteAsync(account, key, requestHash!, new StoredResponse(StatusCodes.Status202Accepted, accepted), CancellationToken.None).ConfigureAwait(false);
                        done = true;
                    }
                    return waiting;
                }
                if (!decision.Allowed)
                    return await AuditedDenialAsync(decided, decision.RuleId ?? "policy", decision.Message ?? "The policy does not allow this request.").ConfigureAwait(false);
                reservation = await windows.ReserveAsync(account, decision.Charges, now, cancellationToken).ConfigureAwait(false);
                if (reservation.Exceeded is { } exceeded)
                    return await AuditedDenialAsync(decided, exceeded.Charge.RuleId, ExceededMessage(exceeded), Window(exceeded)).ConfigureAwait(false);
            }

            JsonObject result = sign();
            Metrics.PolicyDecisionMetrics.Record(Metrics.PolicyDecisionMetrics.Allow, null);
            // A signature nobody can find in the log is not handed out: if the entry cannot be written, the request fails
            // (503). The windows' charge is written in the entry's transaction: charged exactly when logged, and one write.
            await audit.AppendAsync(decided with { Kind = AuditKinds.Signed }, reservation is null ? null : windows.Commit(reservation), CancellationToken.None).ConfigureAwait(false);
            done = true;
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

    /// <summary>
    /// The policy allows the request once its approvers approve it: nothing is reserved or signed now. Windows already too
    /// full for it refuse at once (they would at the last approval too); otherwise the request is sealed in the store,
    /// audited as <c>pending</c> (its hash, never its body) and answered 202 with its id and what it waits for.
    /// </summary>
    private async Task<(IResult Result, string? Accepted)> OpenApprovalAsync(HttpContext http, string account, string chain, AgentRecord agent, byte[] body, AgentGateDecision decision,
        Policies.Documents.ApprovalRule approval, AuditEvent decided, DateTimeOffset now, CancellationToken cancellationToken)
    {
        IReadOnlyList<WindowTotal> totals = await windows.GetTotalsAsync(account, decision.Charges, now, cancellationToken).ConfigureAwait(false);
        if (totals.FirstOrDefault(t => t.Exceeds) is { } exceeded)
            return (await AuditedDenialAsync(decided, exceeded.Charge.RuleId, ExceededMessage(exceeded), Window(exceeded)).ConfigureAwait(false), null);

        var pending = new PendingApproval
        {
            Id = ApprovalStore.NewId(),
            Account = account,
            Agent = agent.PublicKey,
            Chain = chain,
            Body = body,
            PayloadHash = Convert.ToHexStringLower(decided.PayloadHash!),
            Rule = decision.ApprovalRuleId!,
            Required = approval.Required,
            Approvers = approval.Approvers,
            CreatedAt = now,
            ExpiresAt = now.AddSeconds(options.Value.Approvals.ExpirySeconds),
            State = ApprovalStates.Pending,
        };
        if (!await approvals.CreateAsync(pending, options.Value.Approvals.MaxPendingPerAccount, cancellationToken).ConfigureAwait(false))
            throw new ProblemException(ApprovalProblems.TooManyPending,
                $"'{account}' has {options.Value.Approvals.MaxPendingPerAccount} requests waiting for approvals (Keystore:Approvals:MaxPendingPerAccount); approve, reject or cancel some first.");
        await audit.AppendAsync(decided with
        {
            Kind = AuditKinds.Pending,
            Rule = pending.Rule,
            Detail = ApprovalAuditDetail.Format(pending.Id, $"{pending.Required} of {pending.Approvers.Count}"),
        }, CancellationToken.None).ConfigureAwait(false);
        http.Response.Headers.Location = $"/v1/accounts/{account}/approvals/{pending.Id}";
        string json = ApprovalView.Describe(pending, now, includeBody: false).ToJsonString();
        return (Results.Text(json, "application/json", statusCode: StatusCodes.Status202Accepted), json);
    }

    /// <summary>
    /// Finishes a request its approvers approved: the freeze, the agent key, its policy (with these approvals) and the
    /// windows are checked again now, exactly as for a direct request, the windows reserved, and <paramref name="sign"/>
    /// runs only when all of it passed. Audited as <c>signed</c> or <c>denied</c> (with the rule).
    /// </summary>
    /// <param name="approvalId">The approval request finished: its <c>signed</c> or <c>denied</c> entry names it, like the entries before it.</param>
    /// <param name="resultWrite">The write that ends the approval request with the signed answer, in the signed entry's transaction (with the windows' charge).</param>
    public async Task<ApprovedSigning> SignApprovedAsync(string approvalId, string account, string agentKey, string chain, byte[] body, IReadOnlySet<string> approvedBy,
        Func<JsonObject> sign, Func<JsonObject, StateChange>? resultWrite, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sign);
        DateTimeOffset now = time.GetUtcNow();
        var decided = new AuditEvent(account, AuditKinds.Denied)
        {
            Agent = agentKey,
            Chain = chain,
            PayloadHash = System.Security.Cryptography.SHA256.HashData(body),
            Detail = ApprovalAuditDetail.Format(approvalId, $"after {approvedBy.Count} approval(s)"),
        };
        async Task<ApprovedSigning> DenyAsync(string rule, string message)
        {
            await audit.AppendAsync(decided with { Rule = rule }, CancellationToken.None).ConfigureAwait(false);
            return ApprovedSigning.Denied(rule, message);
        }

        (AccountPolicy policy, bool frozen) = await freeze.CheckAsync(account, cancellationToken).ConfigureAwait(false);
        if (frozen)
            return await DenyAsync(AccountFreeze.Rule, AccountFreeze.Message(account)).ConfigureAwait(false);
        AgentRecord? agent = await agents.GetAgentAsync(account, agentKey, cancellationToken).ConfigureAwait(false);
        if (agent is null || !agent.IsActiveAt(now))
            return await DenyAsync(AgentInactiveRule, $"The agent key {agentKey} was revoked or expired while the request waited.").ConfigureAwait(false);
        AgentGateDecision decision = await gate.EvaluateAsync(new AgentSigningRequest(account, agent, policy, chain, body, DryRun: false, now, approvedBy), cancellationToken).ConfigureAwait(false);
        decided = decided with { Amounts = decision.AuditAmounts() };
        if (!decision.Allowed)
            return await DenyAsync(decision.RuleId ?? "policy", decision.Message ?? "The policy does not allow this request.").ConfigureAwait(false);

        WindowReservation reservation = await windows.ReserveAsync(account, decision.Charges, now, cancellationToken).ConfigureAwait(false);
        bool done = false;
        try
        {
            if (reservation.Exceeded is { } exceeded)
                return await DenyAsync(exceeded.Charge.RuleId, ExceededMessage(exceeded)).ConfigureAwait(false);
            JsonObject result = sign();
            await audit.AppendAsync(decided with { Kind = AuditKinds.Signed }, StateChange.Both(resultWrite?.Invoke(result), windows.Commit(reservation)),
                CancellationToken.None).ConfigureAwait(false);
            done = true;
            return ApprovedSigning.Signed(result);
        }
        finally
        {
            if (!done)
                await UndoAsync(account, null, reservation).ConfigureAwait(false);
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
        (AccountPolicy policy, bool frozen) = await freeze.CheckAsync(account, cancellationToken).ConfigureAwait(false);
        var answer = new JsonObject { ["dryRun"] = true, ["caller"] = caller.IsOwner ? "owner" : "agent" };
        IReadOnlyList<WindowTotal> totals = [];
        string? rule = null, message = null;
        if (frozen)
        {
            (rule, message) = (AccountFreeze.Rule, AccountFreeze.Message(account));
        }
        else if (caller.Agent is { } agent)
        {
            AgentGateDecision decision = await gate.EvaluateAsync(new AgentSigningRequest(account, agent, policy, chain, body, DryRun: true, now), cancellationToken).ConfigureAwait(false);
            if (!decision.Allowed && decision.Approval is null)
                (rule, message) = (decision.RuleId ?? "policy", decision.Message ?? "The policy does not allow this request.");
            else
            {
                totals = await windows.GetTotalsAsync(account, decision.Charges, now, cancellationToken).ConfigureAwait(false);
                if (totals.FirstOrDefault(t => t.Exceeds) is { } exceeded)
                    (rule, message) = (exceeded.Charge.RuleId, ExceededMessage(exceeded));
                else if (decision.Approval is not null)
                    (rule, message) = (decision.RuleId, decision.Message);
            }
        }
        Metrics.PolicyDecisionMetrics.Record(Metrics.PolicyDecisionMetrics.DryRun, rule);
        answer["decision"] = rule is null ? "allow" : rule == Policies.Evaluation.PolicyRuleIds.ApprovalRequired ? "approval-required" : "deny";
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
