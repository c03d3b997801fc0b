namespace Keystore.Client;

/// <summary>The answer of <c>GET …/agents</c>.</summary>
internal sealed record AgentList(string Account, IReadOnlyList<AgentInfo> Agents);
