namespace Keystore.Approvals;

/// <summary>The approvals: their sealed store (which the signing guard opens requests in), the votes, the signer that finishes them and the sweeper.</summary>
public static class ApprovalServiceRegistration
{
    public static IServiceCollection AddKeystoreApprovals(this IServiceCollection services)
    {
        services.AddSingleton<ApprovalStore>();
        services.AddSingleton<IApprovedRequestExecutor, ApprovedSignRequestExecutor>();
        services.AddSingleton<ApprovalService>();
        services.AddSingleton<ApprovalSweeper>();
        services.AddHostedService(sp => sp.GetRequiredService<ApprovalSweeper>());
        return services;
    }
}
