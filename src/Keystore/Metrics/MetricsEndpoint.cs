using Keystore.Boot;
using Prometheus;

namespace Keystore.Metrics;

/// <summary><c>GET /metrics</c>: the Prometheus text format. Boot state is read from this instance at each scrape.</summary>
public static class MetricsEndpoint
{
    public const string Path = "/metrics";

    public static IServiceCollection AddKeystoreMetrics(this IServiceCollection services)
    {
        services.AddHttpClient(nameof(Dao.NearConnection)).AddHttpMessageHandler(() => new NearRpcMetricsHandler());
        return services;
    }

    public static WebApplication UseKeystoreRequestMetrics(this WebApplication app)
    {
        app.UseMiddleware<RequestMetricsMiddleware>();
        return app;
    }

    public static WebApplication MapKeystoreMetrics(this WebApplication app)
    {
        app.MapGet(Path, async (HttpContext http, KeystoreState state, WorkerContext worker, Derivation.DerivedKeyCache keys) =>
        {
            Refresh(state);
            KeystoreMetrics.KeyCacheEntries.Set(keys.Count);
            RefreshTcb(worker.Tcb);
            http.Response.ContentType = "text/plain; version=0.0.4; charset=utf-8";
            await Prometheus.Metrics.DefaultRegistry.CollectAndExportAsTextAsync(http.Response.Body, http.RequestAborted);
        }).ExcludeFromDescription();
        return app;
    }

    /// <summary>Intel's TCB statuses (the DCAP TCB info's <c>tcbStatus</c> values); anything else the DAO reports is <c>other</c>, so the label stays bounded.</summary>
    public static readonly IReadOnlyList<string> TcbStatuses =
        ["UpToDate", "SWHardeningNeeded", "ConfigurationNeeded", "ConfigurationAndSWHardeningNeeded", "OutOfDate", "OutOfDateConfigurationNeeded", "Revoked", "other"];

    /// <summary>The status the DAO's DCAP verification found at registration, refreshed by every revocation check; all 0 before registration.</summary>
    private static void RefreshTcb(Dao.WorkerTcb? tcb)
    {
        string? current = tcb is null ? null : TcbStatuses.Contains(tcb.Status, StringComparer.Ordinal) ? tcb.Status : "other";
        foreach (string status in TcbStatuses)
            KeystoreMetrics.TcbStatus.WithLabels(status).Set(status == current ? 1 : 0);
    }

    private static void Refresh(KeystoreState state)
    {
        KeystoreMetrics.Ready.Set(state.IsReady ? 1 : 0);
        foreach (BootStep step in state.Steps)
            foreach (BootStepState s in Enum.GetValues<BootStepState>())
                KeystoreMetrics.BootStepState.WithLabels(step.Name, s.ToString().ToLowerInvariant()).Set(step.State == s ? 1 : 0);
    }
}
