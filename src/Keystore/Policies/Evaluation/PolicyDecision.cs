using System.Collections.ObjectModel;
using System.Numerics;

namespace Keystore.Policies.Evaluation;

/// <summary>
/// The verdict on one sign request. Allowed: <see cref="Charges"/> must still be reserved (and the request is
/// denied by the charge's rule if one does not fit). Denied: <see cref="RuleId"/> is the stable id of the check
/// that refused it (see <see cref="PolicyRuleIds"/>) and <see cref="Message"/> says why, naming no secret.
/// <see cref="MatchedRule"/> is the owner's id of the rule that allowed the request, or of the one that came closest.
/// </summary>
public sealed record PolicyDecision(bool Allowed, string RuleId, string Message, IReadOnlyList<PolicyCharge> Charges, string? MatchedRule)
{
    public static PolicyDecision Allow(string? rule, IReadOnlyList<PolicyCharge> charges, IReadOnlyDictionary<string, BigInteger>? spend = null) =>
        new(true, PolicyRuleIds.Allowed, "allowed", charges, rule) { Spend = spend ?? ReadOnlyDictionary<string, BigInteger>.Empty };

    /// <summary>What the request moves, per asset id (base units), as decoded: what its audit entry records.</summary>
    public IReadOnlyDictionary<string, BigInteger> Spend { get; init; } = ReadOnlyDictionary<string, BigInteger>.Empty;

    public static PolicyDecision Deny(string ruleId, string message, string? rule = null) => new(false, ruleId, message, [], rule);

    /// <summary>
    /// Set when the request is not allowed yet but rule <see cref="MatchedRule"/> would allow it with these approvals;
    /// <see cref="Allowed"/> stays false (so anything that ignores approvals refuses) and <see cref="Charges"/> are what
    /// it would reserve.
    /// </summary>
    public Documents.ApprovalRule? Approval { get; init; }

    public static PolicyDecision RequireApproval(string rule, Documents.ApprovalRule approval, IReadOnlyList<PolicyCharge> charges,
        IReadOnlyDictionary<string, BigInteger>? spend = null) =>
        new(false, PolicyRuleIds.ApprovalRequired, $"Rule {rule} allows this request once {approval.Required} of its {approval.Approvers.Count} approvers approve it.", charges, rule)
        {
            Approval = approval,
            Spend = spend ?? ReadOnlyDictionary<string, BigInteger>.Empty,
        };
}
