using Keystore.Agents;

namespace Keystore.Approvals;

/// <summary>Finishes an approved chain sign request through <see cref="SigningGuard.SignApprovedAsync"/> (freeze, agent, policy and windows again, then the signature).</summary>
public sealed class ApprovedSignRequestExecutor(SigningGuard guard, ApprovedRequestSigner signer) : IApprovedRequestExecutor
{
    public string? Kind => null;

    public string DoneState => ApprovalStates.Signed;

    public async Task<ApprovedRequestOutcome> ExecuteAsync(PendingApproval approval, IReadOnlySet<string> approvedBy, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(approval);
        ApprovedSigning signed = await guard.SignApprovedAsync(approval.Account, approval.Agent, approval.Chain, approval.Body, approvedBy,
            () => signer.Sign(approval.Account, approval.Chain, approval.Body), cancellationToken).ConfigureAwait(false);
        return new ApprovedRequestOutcome(signed.Result, signed.Rule, signed.Message);
    }
}
