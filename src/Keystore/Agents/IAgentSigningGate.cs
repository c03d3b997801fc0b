namespace Keystore.Agents;

/// <summary>
/// The policy check an agent's sign request passes before anything is derived or signed. The policy engine supplies
/// the real one (<see cref="PolicyEngineSigningGate"/>); default deny is the rule.
/// Owners do not pass through it (only the account freeze stops them).
/// </summary>
public interface IAgentSigningGate
{
    Task<AgentGateDecision> EvaluateAsync(AgentSigningRequest request, CancellationToken cancellationToken);
}
