namespace Keystore.Approvals;

/// <summary>The approvals: their sealed store (which the signing guard opens requests in), the votes and the signer that finishes them.</summary>
public static class ApprovalServiceRegistration
{
    public static IServiceCollection AddKeystoreApprovals(this IServiceCollection services)
    {
        services.AddSingleton<ApprovalStore>();
        services.AddSingleton<ApprovedRequestSigner>();
        services.AddSingleton<IApprovedRequestExecutor, ApprovedSignRequestExecutor>();
        services.AddSingleton<ApprovalService>();
        return services;
    }
}
