namespace Keystore.Approvals;

/// <summary>
/// A sign request (or, with <see cref="Chain"/> <c>export</c>, a key export) that waits for approvals, as sealed in the store: who asked for what (the exact body, needed to sign
/// it later, and its SHA-256, which approvers name), the rule and its approvers, the votes so far and where it ended.
/// </summary>
public sealed record PendingApproval
{
    /// <summary>128 random bits, base64url without padding (22 characters).</summary>
    public required string Id { get; init; }
    public required string Account { get; init; }
    /// <summary>The agent key that asked.</summary>
    public required string Agent { get; init; }
    public required string Chain { get; init; }
    /// <summary>The request body exactly as it will be signed; sealed, never logged.</summary>
    public required byte[] Body { get; init; }
    /// <summary>Lowercase hex of SHA-256 over <see cref="Body"/>.</summary>
    public required string PayloadHash { get; init; }
    /// <summary>The owner's id of the rule that asked for approvals.</summary>
    public required string Rule { get; init; }
    public required int Required { get; init; }
    public required IReadOnlyList<string> Approvers { get; init; }
    public IReadOnlyList<ApprovalVote> Approvals { get; init; } = [];
    public IReadOnlyList<ApprovalVote> Rejections { get; init; } = [];
    public required DateTimeOffset CreatedAt { get; init; }
    public required DateTimeOffset ExpiresAt { get; init; }
    public required string State { get; init; }
    public DateTimeOffset? FinishedAt { get; init; }
    /// <summary>
    /// While <see cref="ApprovalStates.Signing"/>: when the instance finishing it must be done by. Past it (that instance
    /// stopped mid-way) any reader or the sweeper takes the request over (<see cref="ApprovalService"/>); null on a row
    /// written before leases existed, which counts as lapsed.
    /// </summary>
    public DateTimeOffset? SigningLeaseUntil { get; init; }
    /// <summary>How many times finishing was started: 1 at the m-th approval, one more for each take-over.</summary>
    public int SigningAttempts { get; init; }
    /// <summary>The answer (JSON text) once <see cref="ApprovalStates.Signed"/> (or <see cref="ApprovalStates.Exported"/>: the age file, the owner's alone).</summary>
    public string? Result { get; init; }
    /// <summary>The rule that refused it (<see cref="ApprovalStates.Denied"/>) or the problem that stopped it (<see cref="ApprovalStates.Failed"/>).</summary>
    public string? DeniedRule { get; init; }
    public string? Reason { get; init; }

    public IEnumerable<string> PendingApprovers =>
        Approvers.Where(a => !Approvals.Any(v => v.Account == a) && !Rejections.Any(v => v.Account == a));

    public bool HasExpiredAt(DateTimeOffset now) => State == ApprovalStates.Pending && now >= ExpiresAt;

    /// <summary>Whether it is <see cref="ApprovalStates.Signing"/> and whoever was finishing it has let its lease lapse.</summary>
    public bool HasStalledAt(DateTimeOffset now) => State == ApprovalStates.Signing && (SigningLeaseUntil is not { } lease || now >= lease);
}
