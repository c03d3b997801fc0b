namespace Keystore.Policies.Documents;

/// <summary>An agent key's policy (document <c>"kind": "agent"</c>): rules, default deny.</summary>
public sealed record AgentPolicy(int Version, IReadOnlyList<PolicyRule> Rules);
