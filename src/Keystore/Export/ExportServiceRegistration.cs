using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Keystore.Export;

public static class ExportServiceRegistration
{
    /// <summary>The export route's services. A policy registered before this call (an account policy store) wins over the owner default.</summary>
    public static IServiceCollection AddKeyExport(this IServiceCollection services)
    {
        services.TryAddSingleton<IExportPolicy, OwnerExportPolicy>();
        services.AddSingleton<ExportBudget>();
        services.AddSingleton<ExportAuditTrail>();
        return services;
    }
}
