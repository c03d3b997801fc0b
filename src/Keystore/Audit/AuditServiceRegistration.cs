namespace Keystore.Audit;

/// <summary>The audit log, its key, and its NEAR anchoring (the boot step is planned by the boot service).</summary>
public static class AuditServiceRegistration
{
    public static IServiceCollection AddKeystoreAudit(this IServiceCollection services)
    {
        services.AddSingleton<AuditKey>();
        services.AddSingleton<AuditLog>();
        services.AddSingleton<IAuditLog>(sp => sp.GetRequiredService<AuditLog>());
        services.AddSingleton<AuditAnchorClient>();
        services.AddSingleton<AuditAnchorService>();
        services.AddHostedService(sp => sp.GetRequiredService<AuditAnchorService>());
        return services;
    }
}
