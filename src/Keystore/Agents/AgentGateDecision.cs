using Keystore.State;

namespace Keystore.Agents;

/// <summary>
/// The gate's answer: allowed, with the window charges to reserve before signing (none when no windowed rule
/// applies), or denied by a rule, with a message for the caller (it must not reveal more of the policy than the rule id).
/// </summary>
public sealed record AgentGateDecision(bool Allowed, string? RuleId, string? Message, IReadOnlyList<WindowCharge> Charges)
{
    public static AgentGateDecision Allow(IReadOnlyList<WindowCharge>? charges = null) => new(true, null, null, charges ?? []);

    public static AgentGateDecision Deny(string ruleId, string message) => new(false, ruleId, message, []);

    /// <summary>Set when the policy allows the request only once these approvals are had (<see cref="Allowed"/> is false).</summary>
    public Policies.Documents.ApprovalRule? Approval { get; init; }

    /// <summary>The owner's id of the rule that asks for the approvals.</summary>
    public string? ApprovalRuleId { get; init; }

    public static AgentGateDecision RequireApproval(string ruleId, Policies.Documents.ApprovalRule approval, string message, IReadOnlyList<WindowCharge> charges) =>
        new(false, Policies.Evaluation.PolicyRuleIds.ApprovalRequired, message, charges) { Approval = approval, ApprovalRuleId = ruleId };
}
