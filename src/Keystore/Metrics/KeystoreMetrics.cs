using Prometheus;

namespace Keystore.Metrics;

/// <summary>
/// Every metric the keystore exports on <c>/metrics</c> (Prometheus text format), defined once here so that any
/// component increments the same series. Labels never carry an account, key or request body: only route patterns,
/// chains, outcomes and states, so cardinality stays bounded and nothing identifying leaks.
/// </summary>
public static class KeystoreMetrics
{
    public static readonly Counter HttpRequests = Prometheus.Metrics.CreateCounter(
        "keystore_http_requests_total", "HTTP requests by route pattern, method and status code.",
        new CounterConfiguration { LabelNames = ["route", "method", "status"] });

    public static readonly Histogram SignDuration = Prometheus.Metrics.CreateHistogram(
        "keystore_sign_duration_seconds", "Successful sign requests, from the first byte in to the answer, by chain.",
        new HistogramConfiguration { LabelNames = ["chain"], Buckets = Histogram.ExponentialBuckets(0.0005, 2, 14) });

    /// <summary>
    /// Fed by the signing guard through <see cref="PolicyDecisionMetrics"/>: <c>decision</c> is <c>allow</c>, <c>deny</c> or
    /// <c>dry-run</c>; <c>rule</c> the kind of check that denied (empty when allowed), never a policy's own text.
    /// </summary>
    public static readonly Counter PolicyDecisions = Prometheus.Metrics.CreateCounter(
        "keystore_policy_decisions_total", "Policy decisions on sign requests by decision and rule.",
        new CounterConfiguration { LabelNames = ["decision", "rule"] });

    /// <summary>1 for each boot step's current state, 0 for its other states; refreshed at every scrape.</summary>
    public static readonly Gauge BootStepState = Prometheus.Metrics.CreateGauge(
        "keystore_boot_step_state", "1 when the boot step is in this state (pending, running, waiting, done, failed).",
        new GaugeConfiguration { LabelNames = ["step", "state"] });

    public static readonly Gauge Ready = Prometheus.Metrics.CreateGauge(
        "keystore_ready", "1 once a master secret is loaded and signing is open.");

    public static readonly Histogram NearRpcDuration = Prometheus.Metrics.CreateHistogram(
        "keystore_near_rpc_duration_seconds", "NEAR JSON-RPC HTTP calls by outcome (ok, http_error, transport_error).",
        new HistogramConfiguration { LabelNames = ["outcome"], Buckets = Histogram.ExponentialBuckets(0.005, 2, 12) });

    public static readonly Counter NearRpcFailures = Prometheus.Metrics.CreateCounter(
        "keystore_near_rpc_failures_total", "NEAR JSON-RPC HTTP calls that failed (http_error, transport_error).",
        new CounterConfiguration { LabelNames = ["outcome"] });

    public static readonly Histogram CkdDuration = Prometheus.Metrics.CreateHistogram(
        "keystore_ckd_duration_seconds", "Confidential Key Derivation rounds (request_master_secret to a verified secret) by outcome.",
        new HistogramConfiguration { LabelNames = ["outcome"], Buckets = Histogram.ExponentialBuckets(0.05, 2, 12) });

    /// <summary>Refreshed at every scrape: 1 for this worker's TCB status (<c>UpToDate</c>, <c>OutOfDate</c>, …) as the DAO's DCAP verification found it, 0 for the others.</summary>
    public static readonly Gauge TcbStatus = Prometheus.Metrics.CreateGauge(
        "keystore_tcb_status", "1 for this worker's TCB status as the DAO's DCAP verification found it (registration, then each revocation check).",
        new GaugeConfiguration { LabelNames = ["status"] });

    /// <summary>Refreshed at every scrape from the derived-key cache.</summary>
    public static readonly Gauge KeyCacheEntries = Prometheus.Metrics.CreateGauge(
        "keystore_key_cache_entries", "Derived keys held in the key cache.");
}
