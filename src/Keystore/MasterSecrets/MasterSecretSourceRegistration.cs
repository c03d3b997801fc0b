namespace Keystore.MasterSecrets;

/// <summary>
/// The name under which a master-secret source is registered. Kept apart from the source itself so
/// that validating <c>Keystore:MasterSecret:Source</c> does not construct every source (which need options).
/// </summary>
public sealed record MasterSecretSourceName(string Name);

public static class MasterSecretSourceRegistration
{
    public static IServiceCollection AddMasterSecretSource<TSource>(this IServiceCollection services, string name)
        where TSource : class, IMasterSecretSource
    {
        services.AddSingleton<IMasterSecretSource, TSource>();
        services.AddSingleton(new MasterSecretSourceName(name));
        return services;
    }

    public static IServiceCollection AddMasterSecretSource(this IServiceCollection services, IMasterSecretSource source)
    {
        services.AddSingleton(source);
        services.AddSingleton(new MasterSecretSourceName(source.Name));
        return services;
    }
}
