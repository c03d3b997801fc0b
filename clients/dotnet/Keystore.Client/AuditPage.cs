namespace Keystore.Client;

/// <summary>A page of the account's audit entries; <see cref="Next"/> is the <see cref="AuditQuery.After"/> of the next page, null on the last.</summary>
public sealed record AuditPage(string Account, IReadOnlyList<AccountAuditEntry> Entries, long? Next);
