using System.Security.Cryptography;
using Keystore.Agents;
using Keystore.Audit;
using Keystore.Configuration;
using Keystore.Problems;
using Microsoft.Extensions.Options;

namespace Keystore.Approvals;

/// <summary>
/// What happens to a request waiting for approvals: votes, the owner's cancel, expiry, and at the m-th approval the
/// re-check and result through the <see cref="IApprovedRequestExecutor"/> of the request's kind (a signature, or an export). Each change is one transaction under the
/// account's write lock (<see cref="ApprovalStore.ChangeAsync{T}"/>): the vote that reaches m moves the request to
/// <c>signing</c> in it, so however many approvers (on however many instances) vote at once, one of them signs, once.
/// Every step is audited, with the payload hash, never the body.
/// </summary>
public sealed class ApprovalService(ApprovalStore store, IEnumerable<IApprovedRequestExecutor> executors, IAuditLog audit, TimeProvider time,
    IOptions<KeystoreOptions> options, ILogger<ApprovalService> logger)
{
    private enum Outcome
    {
        Unchanged,
        Expired,
        NotPending,
        NotApprover,
        Mismatch,
        AlreadyVoted,
        Approved,
        Reached,
        Rejected,
        RejectedAndEnded,
        Cancelled,
        TakenOver,
    }

    /// <summary>
    /// The request, or 404. One whose time is up is brought up to date first: marked expired, or, when it was left
    /// <c>signing</c> by an instance that stopped, finished now.
    /// </summary>
    public async Task<PendingApproval> GetAsync(string account, string id, CancellationToken cancellationToken)
    {
        PendingApproval approval = await store.GetAsync(account, id, cancellationToken).ConfigureAwait(false) ?? throw NotFound(account, id);
        DateTimeOffset now = time.GetUtcNow();
        if (approval.HasStalledAt(now)) return (await TakeOverAsync(account, id, cancellationToken).ConfigureAwait(false)).Approval;
        if (!approval.HasExpiredAt(now)) return approval;
        (PendingApproval current, _) = await ChangeAsync(account, id, p => (null, Outcome.Unchanged), cancellationToken).ConfigureAwait(false);
        return current;
    }

    /// <summary>
    /// Brings up to date at most <paramref name="limit"/> requests, of every account, whose time is up without anyone
    /// reading them: each is expired (audited once, whichever instance gets there first) or, when left <c>signing</c>,
    /// taken over and finished.
    /// </summary>
    public async Task<ApprovalSweep> SweepAsync(int limit, CancellationToken cancellationToken)
    {
        (IReadOnlyList<PendingApproval> due, int unreadable) = await store.ListDueAsync(limit, cancellationToken).ConfigureAwait(false);
        int expired = 0, takenOver = 0;
        foreach (PendingApproval approval in due)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (approval.State == ApprovalStates.Signing)
            {
                if ((await TakeOverAsync(approval.Account, approval.Id, cancellationToken).ConfigureAwait(false)).TookOver) takenOver++;
                continue;
            }
            (_, Outcome outcome) = await store.ChangeAsync(approval.Account, approval.Id, p => ExpireIfDue(p) ?? (null, Outcome.Unchanged),
                cancellationToken).ConfigureAwait(false) ?? (approval, Outcome.Unchanged);
            if (outcome != Outcome.Expired) continue;
            await AuditExpiredAsync(approval).ConfigureAwait(false);
            expired++;
        }
        return new ApprovalSweep(due.Count, expired, takenOver, unreadable);
    }

    /// <summary>
    /// Finishes a request whose finishing instance let its lease lapse (it stopped between the m-th approval and storing
    /// the result): under the account's write lock this instance takes a new lease as the next attempt, then re-checks and
    /// signs as at the m-th approval. The earlier attempt stored nothing (storing the result ends <c>signing</c>), so no
    /// answer was given from it; should it still be running, only one of the two stores a result (<see cref="FinishAsync"/>).
    /// </summary>
    private async Task<(PendingApproval Approval, bool TookOver)> TakeOverAsync(string account, string id, CancellationToken cancellationToken)
    {
        (PendingApproval approval, Outcome outcome) = await ChangeAsync(account, id, p =>
        {
            DateTimeOffset now = time.GetUtcNow();
            return p.HasStalledAt(now)
                ? (p with { SigningLeaseUntil = now.AddSeconds(options.Value.Approvals.SigningLeaseSeconds), SigningAttempts = p.SigningAttempts + 1 }, Outcome.TakenOver)
                : (null, Outcome.Unchanged);
        }, cancellationToken).ConfigureAwait(false);
        if (outcome != Outcome.TakenOver) return (approval, false);
        logger.LogWarning("Approval request {Id} of {Account} was left signing by an attempt that did not finish; finishing it again (attempt {Attempt}).",
            id, account, approval.SigningAttempts);
        return (await FinishAsync(approval).ConfigureAwait(false), true);
    }

    public async Task<PendingApproval> VoteAsync(string account, string id, string approver, byte[] payloadHash, bool approve, CancellationToken cancellationToken)
    {
        (PendingApproval approval, Outcome outcome) = await ChangeAsync(account, id, p =>
        {
            DateTimeOffset now = time.GetUtcNow();
            if (p.State != ApprovalStates.Pending) return (null, Outcome.NotPending);
            if (!p.Approvers.Contains(approver, StringComparer.Ordinal)) return (null, Outcome.NotApprover);
            if (!CryptographicOperations.FixedTimeEquals(Convert.FromHexString(p.PayloadHash), payloadHash)) return (null, Outcome.Mismatch);
            bool approved = p.Approvals.Any(v => v.Account == approver), rejected = p.Rejections.Any(v => v.Account == approver);
            // The same vote twice counts once; the other vote after one is refused (a vote is not taken back).
            if ((approve && approved) || (!approve && rejected)) return (null, Outcome.Unchanged);
            if (approved || rejected) return (null, Outcome.AlreadyVoted);
            var vote = new ApprovalVote(approver, now);
            if (approve)
            {
                PendingApproval next = p with { Approvals = [.. p.Approvals, vote] };
                return next.Approvals.Count >= next.Required
                    ? (next with { State = ApprovalStates.Signing, SigningLeaseUntil = now.AddSeconds(options.Value.Approvals.SigningLeaseSeconds), SigningAttempts = 1 }, Outcome.Reached)
                    : (next, Outcome.Approved);
            }
            PendingApproval after = p with { Rejections = [.. p.Rejections, vote] };
            bool ends = options.Value.Approvals.EndOnFirstRejection || after.Rejections.Count > after.Approvers.Count - after.Required;
            return ends
                ? (after with { State = ApprovalStates.Rejected, FinishedAt = now }, Outcome.RejectedAndEnded)
                : (after, Outcome.Rejected);
        }, cancellationToken).ConfigureAwait(false);

        switch (outcome)
        {
            case Outcome.NotPending:
                throw new ProblemException(ApprovalProblems.NotPending, $"Approval request {id} is {approval.State}; it takes no more votes.");
            case Outcome.NotApprover:
                throw new ProblemException(ApprovalProblems.NotAnApprover, $"'{approver}' is not an approver of request {id}.");
            case Outcome.Mismatch:
                throw new ProblemException(ApprovalProblems.PayloadMismatch, $"payloadHash is not the SHA-256 of request {id}'s body; fetch the request and hash its body again.");
            case Outcome.AlreadyVoted:
                throw new ProblemException(ApprovalProblems.AlreadyVoted, $"'{approver}' already voted on request {id} the other way.");
            case Outcome.Approved or Outcome.Reached:
                await AuditAsync(approval, AuditKinds.Approved, ApprovalAuditDetail.Format(id, $"{approver} approved ({approval.Approvals.Count} of {approval.Required})")).ConfigureAwait(false);
                break;
            case Outcome.Rejected or Outcome.RejectedAndEnded:
                await AuditAsync(approval, AuditKinds.Rejected,
                    ApprovalAuditDetail.Format(id, $"{approver} rejected ({approval.Rejections.Count} rejection(s){(outcome == Outcome.RejectedAndEnded ? ", request ended" : "")})")).ConfigureAwait(false);
                break;
        }
        return outcome == Outcome.Reached ? await FinishAsync(approval).ConfigureAwait(false) : approval;
    }

    /// <summary>The owner withdraws a pending request.</summary>
    public async Task<PendingApproval> CancelAsync(string account, string id, CancellationToken cancellationToken)
    {
        (PendingApproval approval, Outcome outcome) = await ChangeAsync(account, id, p => p.State == ApprovalStates.Pending
            ? (p with { State = ApprovalStates.Cancelled, FinishedAt = time.GetUtcNow() }, Outcome.Cancelled)
            : (null, Outcome.NotPending), cancellationToken).ConfigureAwait(false);
        if (outcome == Outcome.NotPending)
            throw new ProblemException(ApprovalProblems.NotPending, $"Approval request {id} is {approval.State}; only a pending request can be cancelled.");
        await AuditAsync(approval, AuditKinds.Cancelled, ApprovalAuditDetail.Format(id, "cancelled by the owner")).ConfigureAwait(false);
        return approval;
    }

    /// <summary>
    /// Runs <paramref name="change"/> on the request, after marking it expired when its time is up (audited once: only the
    /// transaction that makes the change records it); an expired request then answers as any finished one.
    /// </summary>
    private async Task<(PendingApproval Approval, Outcome Outcome)> ChangeAsync(string account, string id,
        Func<PendingApproval, (PendingApproval? Next, Outcome Outcome)> change, CancellationToken cancellationToken)
    {
        (PendingApproval Approval, Outcome Outcome)? result = await store.ChangeAsync(account, id, p => ExpireIfDue(p) ?? change(p), cancellationToken).ConfigureAwait(false);
        if (result is not { } r) throw NotFound(account, id);
        if (r.Outcome != Outcome.Expired) return r;
        await AuditExpiredAsync(r.Approval).ConfigureAwait(false);
        return (r.Approval, Outcome.NotPending);
    }

    /// <summary>The one expiry rule, for every change and the sweeper: a pending request past its time becomes expired (the caller audits it).</summary>
    private (PendingApproval? Next, Outcome Outcome)? ExpireIfDue(PendingApproval p)
    {
        DateTimeOffset now = time.GetUtcNow();
        return p.HasExpiredAt(now) ? (p with { State = ApprovalStates.Expired, FinishedAt = now }, Outcome.Expired) : null;
    }

    private Task AuditExpiredAsync(PendingApproval approval) =>
        AuditAsync(approval, AuditKinds.Expired, ApprovalAuditDetail.Format(approval.Id, $"expired with {approval.Approvals.Count} of {approval.Required} approvals"));

    private readonly IApprovedRequestExecutor[] _executors = executors.ToArray();

    /// <summary>
    /// The m-th approval came in this call, or this call took a stalled request over: re-check, produce the result, and
    /// store how it ended in the one write that leaves <c>signing</c>. A signature ends it in the transaction that logs it
    /// and charges its windows (<see cref="ApprovalResultWrite"/>), so an instance stopping after that leaves nothing to take
    /// over and charge again. Should an attempt that outlived its lease still be running beside the one that took over, the
    /// first to finish stores its result; the other finds the request no longer its own, and its signature is neither
    /// logged, charged nor given out.
    /// </summary>
    private async Task<PendingApproval> FinishAsync(PendingApproval approval)
    {
        IApprovedRequestExecutor executor = _executors.FirstOrDefault(e => e.Kind == approval.Chain) ?? _executors.Single(e => e.Kind is null);
        var resultWrite = new ApprovalResultWrite(store, approval, executor.DoneState, time.GetUtcNow());
        ApprovedRequestOutcome outcome;
        bool failed = false;
        try
        {
            outcome = await executor.ExecuteAsync(approval, approval.Approvals.Select(v => v.Account).ToHashSet(StringComparer.Ordinal),
                resultWrite, CancellationToken.None).ConfigureAwait(false);
        }
        catch (ApprovalAttemptSupersededException)
        {
            // Its signature's transaction wrote nothing (no entry, no charge, no result): the attempt that took over stands.
            logger.LogWarning("Approval request {Id} of {Account} was taken over while attempt {Attempt} was signing it; that attempt's signature is discarded.",
                approval.Id, approval.Account, approval.SigningAttempts);
            return await store.GetAsync(approval.Account, approval.Id, CancellationToken.None).ConfigureAwait(false) ?? approval;
        }
        catch (ProblemException ex) when (ex.Problem.Status < 500)
        {
            // The chain refused the body (it was decoded when it was asked for, but only signing reads every field).
            await AuditAsync(approval, AuditKinds.Denied, ApprovalAuditDetail.Format(approval.Id, ex.Problem.Slug), ex.Problem.Slug).ConfigureAwait(false);
            outcome = ApprovedRequestOutcome.Denied(ex.Problem.Slug, ex.Message);
            failed = true;
        }
        // Ended in the transaction that logged (and charged) the signature.
        if (resultWrite.Stored is { } stored)
            return stored;
        DateTimeOffset now = time.GetUtcNow();
        string state = outcome.Result is not null ? executor.DoneState : failed ? ApprovalStates.Failed : ApprovalStates.Denied;
        (PendingApproval Approval, Outcome Outcome)? changed = await store.ChangeAsync(approval.Account, approval.Id, p => p.State == ApprovalStates.Signing
            ? (p with
            {
                State = state,
                FinishedAt = now,
                Result = outcome.Result?.ToJsonString(),
                DeniedRule = outcome.Rule,
                Reason = outcome.Message,
            }, Outcome.Unchanged)
            : (null, Outcome.NotPending), CancellationToken.None).ConfigureAwait(false);
        if (changed is not { Outcome: Outcome.Unchanged } s)
        {
            // Its lease lapsed, another attempt took it over and finished first: that result stands; this one's is never given out.
            logger.LogWarning("Approval request {Id} of {Account} was finished by another attempt while attempt {Attempt} was signing it; its result is discarded.",
                approval.Id, approval.Account, approval.SigningAttempts);
            return changed?.Approval ?? approval;
        }
        return s.Approval;
    }

    private Task AuditAsync(PendingApproval approval, string kind, string detail, string? rule = null) =>
        audit.AppendAsync(new AuditEvent(approval.Account, kind)
        {
            Agent = approval.Agent,
            Chain = approval.Chain,
            Rule = rule ?? approval.Rule,
            PayloadHash = Convert.FromHexString(approval.PayloadHash),
            Detail = detail,
        }, CancellationToken.None);

    private static ProblemException NotFound(string account, string id) =>
        new(ApprovalProblems.NotFound, $"'{account}' has no approval request {id}.");
}
