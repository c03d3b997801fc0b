using System.Collections.ObjectModel;
using System.Numerics;
using Keystore.State;

namespace Keystore.Agents;

/// <summary>
/// The gate's answer: allowed, with the window charges to reserve before signing (none when no windowed rule
/// applies), or denied by a rule, with a message for the caller (it must not reveal more of the policy than the rule id).
/// </summary>
public sealed record AgentGateDecision(bool Allowed, string? RuleId, string? Message, IReadOnlyList<WindowCharge> Charges)
{
    public static AgentGateDecision Allow(IReadOnlyList<WindowCharge>? charges = null, IReadOnlyDictionary<string, BigInteger>? spend = null) =>
        new(true, null, null, charges ?? []) { Spend = spend ?? ReadOnlyDictionary<string, BigInteger>.Empty };

    /// <summary>What the request moves, per asset id (base units), as the gate decoded it (empty when denied): what its audit entry records.</summary>
    public IReadOnlyDictionary<string, BigInteger> Spend { get; init; } = ReadOnlyDictionary<string, BigInteger>.Empty;

    /// <summary>The audit entry's amounts: <see cref="Spend"/> as asset id → amount in base units.</summary>
    public KeyValuePair<string, string>[] AuditAmounts()
    {
        var amounts = new KeyValuePair<string, string>[Spend.Count];
        int i = 0;
        foreach ((string asset, BigInteger amount) in Spend)
            amounts[i++] = KeyValuePair.Create(asset, amount.ToString(System.Globalization.CultureInfo.InvariantCulture));
        return amounts;
    }

    public static AgentGateDecision Deny(string ruleId, string message) => new(false, ruleId, message, []);

    /// <summary>Set when the policy allows the request only once these approvals are had (<see cref="Allowed"/> is false).</summary>
    public Policies.Documents.ApprovalRule? Approval { get; init; }

    /// <summary>The owner's id of the rule that asks for the approvals.</summary>
    public string? ApprovalRuleId { get; init; }

    public static AgentGateDecision RequireApproval(string ruleId, Policies.Documents.ApprovalRule approval, string message, IReadOnlyList<WindowCharge> charges,
        IReadOnlyDictionary<string, BigInteger>? spend = null) =>
        new(false, Policies.Evaluation.PolicyRuleIds.ApprovalRequired, message, charges) { Approval = approval, ApprovalRuleId = ruleId, Spend = spend ?? ReadOnlyDictionary<string, BigInteger>.Empty };
}
