namespace Keystore.Policies.Documents;

/// <summary>
/// One rule of an agent policy: what it allows (chains, operations, assets, destinations, contracts,
/// programs, EIP-712 domains), its caps and when. A request is allowed when one rule allows all of it.
/// </summary>
public sealed record PolicyRule
{
    /// <summary>The owner's name for the rule, or <c>rules[i]</c>.</summary>
    public required string Id { get; init; }
    public required IReadOnlySet<PolicyChain> Chains { get; init; }
    public required IReadOnlySet<PolicyOperation> Operations { get; init; }
    /// <summary>Destinations (normalized, see <see cref="PolicyAddress"/>) that must never receive value.</summary>
    public IReadOnlySet<string> DenyDestinations { get; init; } = new HashSet<string>();
    /// <summary>When set, the only destinations that may receive value.</summary>
    public IReadOnlySet<string>? AllowDestinations { get; init; }
    public IReadOnlyList<ContractRule> Contracts { get; init; } = [];
    /// <summary>Solana programs an agent may invoke beyond the ones whose effects are decoded.</summary>
    public IReadOnlySet<string> Programs { get; init; } = new HashSet<string>();
    /// <summary>When set, the only EIP-712 domains typed data may name; when not, only decoded typed data (permits) passes, unless <see cref="AllowOpaque"/>.</summary>
    public IReadOnlyList<Eip712DomainRule>? Eip712Domains { get; init; }
    /// <summary>The assets this rule lets move, keyed by asset id, with their caps.</summary>
    public IReadOnlyDictionary<string, AssetLimit> Limits { get; init; } = new Dictionary<string, AssetLimit>();
    public int? RequestsPerMinute { get; init; }
    /// <summary>When set, the UTC windows in which the rule applies.</summary>
    public IReadOnlyList<TimeOfDayWindow>? TimeOfDay { get; init; }
    /// <summary>Allows payloads that cannot be decoded (unknown selector or program, contract creation, …).</summary>
    public bool AllowOpaque { get; init; }
    /// <summary>Allows ERC-20 approvals (and permits) of 2²⁵⁶−1, which never run out.</summary>
    public bool AllowUnlimitedApprovals { get; init; }
    /// <summary>When set, what this rule allows waits for m-of-n approvals in the cases it names.</summary>
    public ApprovalRule? Approvals { get; init; }
}
