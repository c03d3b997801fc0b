namespace Keystore.Client;

/// <summary>A page of the account's open approval requests, oldest first; <see cref="Next"/> is the cursor of the next page, null on the last.</summary>
public sealed record ApprovalPage(string Account, IReadOnlyList<ApprovalRequest> Approvals, string? Next);
