using System.Text.Json;
using System.Text.Json.Nodes;
using Keystore.Agents;
using Keystore.Api;
using Keystore.Api.ChainRequests;
using Keystore.Chains;
using Keystore.Json;

namespace Keystore.Approvals;

/// <summary>
/// Finishes an approved chain sign request through <see cref="SigningGuard.SignApprovedAsync"/> (freeze, agent, policy and
/// windows again), then signs the stored body as <c>POST …/sign/{chain}</c> would have, through the same
/// <see cref="ChainRequestSigner"/>: its <c>index</c> picks the key. A body the chain refuses is a 4xx problem (the request fails).
/// </summary>
public sealed class ApprovedSignRequestExecutor(SigningGuard guard, ChainSignerRegistry chains, ChainRequestSigner chainSigner) : IApprovedRequestExecutor
{
    public string? Kind => null;

    public string DoneState => ApprovalStates.Signed;

    public async Task<ApprovedRequestOutcome> ExecuteAsync(PendingApproval approval, IReadOnlySet<string> approvedBy, ApprovalResultWrite resultWrite,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(approval);
        ArgumentNullException.ThrowIfNull(resultWrite);
        ApprovedSigning signed = await guard.SignApprovedAsync(approval.Id, approval.Account, approval.Agent, approval.Chain, approval.Body, approvedBy,
            () => Sign(approval), resultWrite.For, cancellationToken).ConfigureAwait(false);
        return new ApprovedRequestOutcome(signed.Result, signed.Rule, signed.Message);
    }

    private JsonObject Sign(PendingApproval approval)
    {
        IChainSigner signer = chains.Get(approval.Chain);
        using JsonDocument document = StrictJson.Parse(approval.Body);
        try
        {
            return chainSigner.Sign(approval.Account, signer, ChainRequestSigner.Index(document.RootElement), document.RootElement, approval.Agent);
        }
        catch (ChainRequestException ex)
        {
            throw ChainProblems.ToProblem(ex);
        }
    }
}
