using System.Numerics;
using System.Text.Json;
using Keystore.Agents;
using Keystore.State;

namespace Keystore.Tests.Agents;

/// <summary>
/// A small policy engine for the store's tests (the real one is the policy library's): an agent whose policy has
/// <c>{"dailyLimit": n, "perRequest": m}</c> is allowed with a charge of m against a daily window of n; any other
/// policy is denied. It behaves like the real gate at the seam: it only decides and names charges, the store reserves.
/// </summary>
public sealed class CountingPolicyGate : IAgentSigningGate, IPolicyDocumentValidator
{
    public string? Validate(JsonElement document, PolicyDocumentKind kind) =>
        document.ValueKind == JsonValueKind.Object ? null : "policy must be a JSON object.";

    public Task<AgentGateDecision> EvaluateAsync(AgentSigningRequest request, CancellationToken cancellationToken)
    {
        using JsonDocument policy = JsonDocument.Parse(request.Agent.Policy);
        if (!policy.RootElement.TryGetProperty("dailyLimit", out JsonElement limit) || !policy.RootElement.TryGetProperty("perRequest", out JsonElement amount))
            return Task.FromResult(AgentGateDecision.Deny("default-deny", "No rule allows this request."));
        return Task.FromResult(AgentGateDecision.Allow(
            [new WindowCharge("daily-" + request.Chain, TimeSpan.FromDays(1), new BigInteger(limit.GetInt64()), new BigInteger(amount.GetInt64()), "daily-limit")]));
    }
}
