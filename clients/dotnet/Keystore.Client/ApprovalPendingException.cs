using System.Text.Json.Nodes;

namespace Keystore.Client;

/// <summary>
/// A sign request the account's policy holds for approval: HTTP 202 <c>{"status":"pending","requestId":"…","pending":{…}}</c>.
/// Nothing is signed yet; <see cref="RequestId"/> names the request the owner approves or rejects.
/// Not a <see cref="KeystoreProblemException"/>: the request was accepted, not refused.
/// </summary>
public sealed class ApprovalPendingException(string requestId, JsonObject pending, JsonObject body)
    : Exception($"The request waits for approval (request {requestId}); nothing is signed until it is approved.")
{
    public string RequestId { get; } = requestId;

    /// <summary>What the keystore says about the pending request (e.g. which rule asked for approval, until when).</summary>
    public JsonObject Pending { get; } = pending;

    /// <summary>The whole answer.</summary>
    public JsonObject Body { get; } = body;
}
