using System.Diagnostics;

namespace Keystore.Metrics;

/// <summary>Times every HTTP call of the NEAR RPC client and counts its failures (the RPC failover sees the same calls).</summary>
public sealed class NearRpcMetricsHandler : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        long start = Stopwatch.GetTimestamp();
        string outcome = "transport_error";
        try
        {
            HttpResponseMessage response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
            outcome = response.IsSuccessStatusCode ? "ok" : "http_error";
            return response;
        }
        finally
        {
            KeystoreMetrics.NearRpcDuration.WithLabels(outcome).Observe(Stopwatch.GetElapsedTime(start).TotalSeconds);
            if (outcome != "ok") KeystoreMetrics.NearRpcFailures.WithLabels(outcome).Inc();
        }
    }
}
