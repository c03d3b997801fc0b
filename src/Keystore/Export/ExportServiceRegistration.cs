using Keystore.Approvals;

namespace Keystore.Export;

public static class ExportServiceRegistration
{
    /// <summary>The export route's services: the account policy decides, and an export waiting for approvals is finished by its executor.</summary>
    public static IServiceCollection AddKeyExport(this IServiceCollection services)
    {
        services.AddSingleton<IExportPolicy, AccountPolicyExportPolicy>();
        services.AddSingleton<ExportBudget>();
        services.AddSingleton<ExportAuditTrail>();
        services.AddSingleton<AccountExporter>();
        services.AddSingleton<IApprovedRequestExecutor, ApprovedExportExecutor>();
        return services;
    }
}
