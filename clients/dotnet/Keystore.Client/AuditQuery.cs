namespace Keystore.Client;

/// <summary>Which of the account's audit entries to read: after a sequence number (paging), by agent key, in a time range.</summary>
public sealed record AuditQuery
{
    /// <summary>Entries with a sequence number above this (the previous page's <see cref="AuditPage.Next"/>).</summary>
    public long? After { get; init; }

    /// <summary>1 to 1000; the keystore's default is 100.</summary>
    public int? Limit { get; init; }

    /// <summary>Only this agent key's entries (<c>ed25519:…</c>).</summary>
    public string? Agent { get; init; }

    public DateTimeOffset? From { get; init; }

    public DateTimeOffset? To { get; init; }
}
