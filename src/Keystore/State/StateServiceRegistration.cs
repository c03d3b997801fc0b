using Keystore.Agents;
using Keystore.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

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
        // SQLite has one writer process (SqliteProcessLock), so its windows live in memory; a fleet's live in the database.
        services.TryAddSingleton<ISpendingWindows>(provider =>
            provider.GetRequiredService<IOptions<KeystoreOptions>>().Value.State.ParsedProvider == StateProviderKind.Postgres
                ? ActivatorUtilities.CreateInstance<SharedSpendingWindows>(provider)
                : ActivatorUtilities.CreateInstance<SingleWriterSpendingWindows>(provider));
        // Policies are stored only when the engine can read them, and the engine judges every agent request.
        services.TryAddSingleton<IPolicyDocumentValidator, PolicyEngineDocumentValidator>();
        services.TryAddSingleton<IAgentSigningGate, PolicyEngineSigningGate>();
        return services;
    }
}
