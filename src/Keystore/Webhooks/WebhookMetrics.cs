using Prometheus;

namespace Keystore.Webhooks;

/// <summary>The webhook series on <c>/metrics</c>; labels are outcomes only, never an account or a URL.</summary>
public static class WebhookMetrics
{
    /// <summary><c>outcome</c>: <c>delivered</c>, <c>retried</c> (an attempt that failed and will be retried), <c>failed</c> (gave up), <c>refused</c> (the address is not allowed), <c>dropped</c> (queue full).</summary>
    public static readonly Counter Deliveries = Prometheus.Metrics.CreateCounter(
        "keystore_webhook_deliveries_total", "Webhook deliveries by outcome (delivered, retried, failed, refused, dropped).",
        new CounterConfiguration { LabelNames = ["outcome"] });

    public static readonly Gauge Queued = Prometheus.Metrics.CreateGauge(
        "keystore_webhook_queue_length", "Webhook deliveries waiting to be sent.");
}
