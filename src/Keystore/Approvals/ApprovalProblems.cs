using Keystore.Problems;

namespace Keystore.Approvals;

/// <summary>The problems of the approval routes.</summary>
public static class ApprovalProblems
{
    public static readonly ProblemType NotFound = new("approval-not-found", 404, "No such approval request on this account");
    public static readonly ProblemType Invalid = new("invalid-approval", 400, "The approval request is malformed");
    public static readonly ProblemType NotAnApprover = new("not-an-approver", 403, "The caller may not see or vote on this approval request");
    public static readonly ProblemType PayloadMismatch = new("payload-mismatch", 409, "The payload hash is not the one of the pending request");
    public static readonly ProblemType NotPending = new("approval-not-pending", 409, "The approval request is no longer pending");
    public static readonly ProblemType AlreadyVoted = new("already-voted", 409, "This approver already voted the other way");
    public static readonly ProblemType TooManyPending = new("too-many-pending", 409, "The account has as many pending approval requests as it may");
}
