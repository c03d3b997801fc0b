namespace Keystore.Policies.Documents;

/// <summary>
/// The account-wide policy (document <c>"kind": "account"</c>): a freeze that stops every agent (and the
/// owner's signing), and caps shared by all of the account's agents together. Assets it does not name are
/// limited only by the agents' own rules.
/// </summary>
public sealed record AccountPolicy(int Version, bool Frozen, IReadOnlyDictionary<string, AssetLimit> Limits, int? RequestsPerMinute)
{
    /// <summary>The <c>export</c> member: whether the owner may export keys, and whose approvals it waits for. Null: allowed at once.</summary>
    public ExportRule? Export { get; init; }
}
