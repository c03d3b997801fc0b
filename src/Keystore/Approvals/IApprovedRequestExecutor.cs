namespace Keystore.Approvals;

/// <summary>
/// Finishes one kind of approved request at its m-th approval: re-checks what allowed it (the policy may have changed
/// while it waited) and produces its result. <see cref="ApprovalService"/> picks the executor whose <see cref="Kind"/>
/// is the request's <see cref="PendingApproval.Chain"/>; the one with a null kind takes every other (chain sign requests).
/// </summary>
public interface IApprovedRequestExecutor
{
    /// <summary>The <see cref="PendingApproval.Chain"/> this executor finishes, or null for chain sign requests.</summary>
    string? Kind { get; }

    /// <summary>The state a request this executor produced a result for ends in.</summary>
    string DoneState { get; }

    /// <summary>
    /// The result, or the rule that refused it now (already audited). A ProblemException below 500 marks it failed. An
    /// executor may end the request in the transaction that logs its result (<paramref name="resultWrite"/>); otherwise
    /// the service stores the result after it returns.
    /// </summary>
    Task<ApprovedRequestOutcome> ExecuteAsync(PendingApproval approval, IReadOnlySet<string> approvedBy, ApprovalResultWrite resultWrite,
        CancellationToken cancellationToken);
}
