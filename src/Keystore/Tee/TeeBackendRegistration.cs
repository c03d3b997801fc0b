namespace Keystore.Tee;

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
