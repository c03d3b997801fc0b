namespace Keystore.Approvals;

/// <summary>One approver's vote (approve or reject) and when it came.</summary>
public sealed record ApprovalVote(string Account, DateTimeOffset At);
