using System.Numerics;

namespace Keystore.Policies.Documents;

/// <summary>
/// A rule's <c>approvals</c> member: requests the rule allows are not signed at once but wait for
/// <paramref name="Required"/> of <paramref name="Approvers"/> (NEAR accounts) when they move more than an
/// <paramref name="Above"/> threshold of an asset, or pay a destination outside the rule's allow list
/// (<paramref name="UnlistedDestinations"/>); with neither trigger, every request under the rule waits.
/// </summary>
public sealed record ApprovalRule(int Required, IReadOnlyList<string> Approvers, IReadOnlyDictionary<string, BigInteger> Above, bool UnlistedDestinations)
{
    /// <summary>Whether a request moving <paramref name="spend"/> (per asset) needs approvals under this rule.</summary>
    public bool AppliesTo(IReadOnlyDictionary<string, BigInteger> spend, bool unlistedDestination)
    {
        if (Above.Count == 0 && !UnlistedDestinations) return true;
        if (UnlistedDestinations && unlistedDestination) return true;
        foreach (var (asset, threshold) in Above)
            if (spend.TryGetValue(asset, out BigInteger amount) && amount > threshold)
                return true;
        return false;
    }

    /// <summary>Whether <paramref name="approvedBy"/> holds at least <see cref="Required"/> of this rule's approvers.</summary>
    public bool IsSatisfiedBy(IReadOnlySet<string>? approvedBy) =>
        approvedBy is not null && Approvers.Count(approvedBy.Contains) >= Required;
}
