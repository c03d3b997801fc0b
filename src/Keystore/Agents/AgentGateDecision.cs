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
}
