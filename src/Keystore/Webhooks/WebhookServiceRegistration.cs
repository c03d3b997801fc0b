using Keystore.Audit;

namespace Keystore.Webhooks;

/// <summary>Webhooks: their store, the address policy, and the dispatcher the audit log tells of every entry.</summary>
public static class WebhookServiceRegistration
{
    public static IServiceCollection AddKeystoreWebhooks(this IServiceCollection services)
    {
        services.AddSingleton<WebhookStore>();
        services.AddSingleton<WebhookAddressPolicy>();
        services.AddSingleton<WebhookDispatcher>();
        services.AddSingleton<IAuditObserver>(sp => sp.GetRequiredService<WebhookDispatcher>());
        services.AddHostedService(sp => sp.GetRequiredService<WebhookDispatcher>());
        return services;
    }
}
