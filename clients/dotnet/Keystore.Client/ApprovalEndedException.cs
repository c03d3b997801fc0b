namespace Keystore.Client;

/// <summary>
/// An approval request ended without a result the caller may read: rejected, cancelled, expired, denied by the policy
/// check at the last approval, failed, or an export whose result only the owner sees. Nothing was signed for it (except
/// that last case). <see cref="Request"/> is the request as last read.
/// </summary>
public sealed class ApprovalEndedException(ApprovalRequest request)
    : Exception($"Approval request {request.Id} ended '{request.State}'{(request.DeniedRule is null ? "" : $" (rule {request.DeniedRule})")} without a result for this caller.")
{
    public ApprovalRequest Request { get; } = request;

    public string State => Request.State;
}
