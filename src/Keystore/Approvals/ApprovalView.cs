using System.Buffers.Text;
using System.Globalization;
using System.Text.Json.Nodes;

namespace Keystore.Approvals;

/// <summary>A request waiting for approvals as the API shows it: never the sealed body unless asked (the GET route shows it to approvers).</summary>
public static class ApprovalView
{
    /// <param name="ownerAsks">Whether the account's owner (a full-access key) reads it: an export's result is the owner's alone.</param>
    public static JsonObject Describe(PendingApproval approval, DateTimeOffset now, bool includeBody, bool ownerAsks = false)
    {
        ArgumentNullException.ThrowIfNull(approval);
        var view = new JsonObject
        {
            ["id"] = approval.Id,
            ["account"] = approval.Account,
            ["agent"] = approval.Agent,
            ["chain"] = approval.Chain,
            ["state"] = approval.HasExpiredAt(now) ? ApprovalStates.Expired : approval.State,
            ["payloadHash"] = approval.PayloadHash,
            ["rule"] = approval.Rule,
            ["required"] = approval.Required,
            ["approvers"] = new JsonArray(approval.Approvers.Select(a => (JsonNode?)a).ToArray()),
            ["approvals"] = Votes(approval.Approvals),
            ["rejections"] = Votes(approval.Rejections),
            ["pendingApprovers"] = new JsonArray(approval.PendingApprovers.Select(a => (JsonNode?)a).ToArray()),
            ["createdAt"] = Time(approval.CreatedAt),
            ["expiresAt"] = Time(approval.ExpiresAt),
            ["finishedAt"] = approval.FinishedAt is { } f ? Time(f) : null,
        };
        if (approval.DeniedRule is not null)
        {
            view["deniedRule"] = approval.DeniedRule;
            view["reason"] = approval.Reason;
        }
        if (approval.Result is not null && (ownerAsks || approval.Chain != ApprovalKinds.Export))
            view["result"] = JsonNode.Parse(approval.Result);
        if (includeBody)
        {
            view["request"] = JsonNode.Parse(approval.Body);
            // `request` is re-serialized (escapes, whitespace and key spacing differ from what the agent sent), so its hash
            // need not be payloadHash; these are the exact bytes the hash covers and that would be signed.
            view["body"] = Base64Url.EncodeToString(approval.Body);
        }
        return view;
    }

    private static JsonArray Votes(IReadOnlyList<ApprovalVote> votes) =>
        new(votes.Select(v => (JsonNode?)new JsonObject { ["account"] = v.Account, ["at"] = Time(v.At) }).ToArray());

    private static string Time(DateTimeOffset at) => at.ToString("O", CultureInfo.InvariantCulture);
}
