namespace Keystore.Agents;

/// <summary>Without a policy engine an agent signs nothing: default deny.</summary>
public sealed class DenyAllSigningGate : IAgentSigningGate
{
    public const string RuleId = "no-policy-engine";

    public Task<AgentGateDecision> EvaluateAsync(AgentSigningRequest request, CancellationToken cancellationToken) =>
        Task.FromResult(AgentGateDecision.Deny(RuleId, "No policy engine is installed, so agent keys sign nothing (default deny)."));
}
