using System.Text.Json.Nodes;

namespace Keystore.Client;

/// <summary>
/// A sign (or export) request the account's policy holds for m-of-n approvals: HTTP 202 with the approval request
/// (<c>{"id", "state": "pending", "payloadHash", "pendingApprovers", …}</c>). Nothing is signed yet; <see cref="RequestId"/>
/// names it for <see cref="KeystoreClient.GetApprovalAsync"/> and <see cref="KeystoreClient.WaitForApprovalResultAsync"/>.
/// Not a <see cref="KeystoreProblemException"/>: the request was accepted, not refused.
/// </summary>
public sealed class ApprovalPendingException(ApprovalRequest request, JsonObject body)
    : Exception($"The request waits for approvals (request {request.Id}, {request.Required} of {request.Approvers.Count}); nothing is signed until they approve.")
{
    public string RequestId => Request.Id;

    /// <summary>The SHA-256 (hex) of the body sent: the hash the approvers' votes name.</summary>
    public string PayloadHash => Request.PayloadHash;

    public ApprovalRequest Request { get; } = request;

    /// <summary>The whole answer.</summary>
    public JsonObject Body { get; } = body;
}
