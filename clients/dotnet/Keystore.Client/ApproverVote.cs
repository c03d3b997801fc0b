namespace Keystore.Client;

/// <summary>One approver's vote on an approval request: the NEAR account that voted and when.</summary>
public sealed record ApproverVote(string Account, DateTimeOffset At);
