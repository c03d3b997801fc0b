using Keystore.Agents;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Keystore.State;

/// <summary>The sealed store and what is built on it: agents and policies, spending windows, nonces, idempotent answers.</summary>
public static class StateServiceRegistration
{
    public static IServiceCollection AddKeystoreState(this IServiceCollection services)
    {
        services.AddSingleton<StateSealer>();
        services.AddSingleton<StateStore>();
        services.AddSingleton<NonceStore>();
        services.AddSingleton<IdempotencyStore>();
        services.AddSingleton<AgentStore>();
        services.AddSingleton<SigningGuard>();
        services.AddSingleton<AgentEndpoints.Owner>();
        services.TryAddSingleton<ISpendingWindows, SpendingWindows>();
        // The policy engine replaces these two; until then policies are only shape-checked and agents sign nothing.
        services.TryAddSingleton<IPolicyDocumentValidator, JsonObjectPolicyValidator>();
        services.TryAddSingleton<IAgentSigningGate, DenyAllSigningGate>();
        return services;
    }
}
