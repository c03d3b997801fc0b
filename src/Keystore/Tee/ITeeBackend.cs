using Keystore.Attestation;
using Keystore.Attestation.Collateral;

namespace Keystore.Tee;

/// <summary>
/// Everything the boot sequence needs from a TEE: quotes (through the attestation library's
/// provider) and the collateral that lets the DAO verify them. Registered side by side under a
/// name; <c>Keystore:Tee:Provider</c> picks one.
/// </summary>
public interface ITeeBackend
{
    /// <summary><c>dstack</c> or <c>simulator</c>.</summary>
    string Name { get; }

    /// <summary>Creates the provider; throws <see cref="TeeUnavailableException"/> when it cannot be used here.</summary>
    ITeeProvider CreateProvider();

    /// <summary>The collateral a verifier (the DAO contract) needs for <paramref name="quote"/>.</summary>
    Task<QuoteCollateralV3> GetCollateralAsync(ReadOnlyMemory<byte> quote, CancellationToken cancellationToken);
}

/// <summary>The configured TEE cannot attest; the message is safe to show on <c>/v1/ready</c>.</summary>
public sealed class TeeUnavailableException(string message, bool retryable, Exception? inner = null) : Exception(message, inner)
{
    public bool Retryable { get; } = retryable;
}

/// <summary>The name under which a TEE backend is registered (validated without constructing it).</summary>
public sealed record TeeBackendName(string Name);

public static class TeeBackendRegistration
{
    /// <summary>Attestation switched off: only for the <c>dev</c> and <c>backup</c> master-secret sources.</summary>
    public const string None = "none";

    public static IServiceCollection AddTeeBackend<TBackend>(this IServiceCollection services, string name)
        where TBackend : class, ITeeBackend
    {
        services.AddSingleton<ITeeBackend, TBackend>();
        services.AddSingleton(new TeeBackendName(name));
        return services;
    }
}
