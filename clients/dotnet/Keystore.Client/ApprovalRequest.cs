using System.Buffers.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;

namespace Keystore.Client;

/// <summary>
/// A request an agent made that waits for (or went through) m-of-n approvals. <see cref="State"/> is one of
/// <see cref="ApprovalRequestStates"/>; <see cref="PayloadHash"/> is the SHA-256 (hex) of the exact body the agent sent, which a vote
/// must name; <see cref="Body"/> is that body exactly (base64url, shown by <c>GET …/approvals/{id}</c> only; <see cref="ExactBody"/>
/// decodes it, and its SHA-256 is what an approver checks), <see cref="Request"/> the same body parsed, for reading (re-serialized, so
/// its bytes can differ), and <see cref="Result"/> what <c>…/sign</c> would have answered once it is signed (an export's result is shown
/// to the owner only).
/// </summary>
public sealed record ApprovalRequest(
    string Id, string Account, string Agent, string Chain, string State, string PayloadHash, string Rule, int Required,
    IReadOnlyList<string> Approvers, IReadOnlyList<ApproverVote> Approvals, IReadOnlyList<ApproverVote> Rejections, IReadOnlyList<string> PendingApprovers,
    DateTimeOffset CreatedAt, DateTimeOffset ExpiresAt, DateTimeOffset? FinishedAt, string? DeniedRule = null, string? Reason = null,
    JsonObject? Result = null, JsonObject? Request = null, string? Body = null)
{
    /// <summary>The exact bytes the agent sent (<see cref="Body"/> decoded); null where the keystore does not show the body (lists, votes).</summary>
    public byte[]? ExactBody() => Body is null ? null : Base64Url.DecodeFromChars(Body);

    /// <summary>
    /// Whether the exact body shown hashes to <see cref="PayloadHash"/>: what an approver checks before voting with that hash.
    /// False when no body is shown.
    /// </summary>
    public bool BodyMatchesPayloadHash() =>
        ExactBody() is { } body && string.Equals(KeystoreClient.PayloadHashOf(body), PayloadHash, StringComparison.OrdinalIgnoreCase);

    /// <summary>Still waiting for votes, or being signed after the last one: a later read may show it finished.</summary>
    public bool IsOpen => State is ApprovalRequestStates.Pending or ApprovalRequestStates.Signing;

    /// <summary>
    /// <see cref="Result"/> as one of the client's answer types (<see cref="SignedEthereumTransaction"/>, <see cref="SignedPsbt"/>,
    /// <see cref="SolanaSignature"/>, <see cref="AccountExport"/>); null while there is none.
    /// </summary>
    public T? ResultAs<T>() where T : class
    {
        if (Result is null) return null;
        var info = (JsonTypeInfo<T>?)ClientJsonContext.Default.GetTypeInfo(typeof(T))
            ?? throw new NotSupportedException($"{typeof(T).Name} is not an answer type of the keystore client.");
        return Result.Deserialize(info);
    }
}
