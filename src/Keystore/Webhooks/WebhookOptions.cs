namespace Keystore.Webhooks;

/// <summary><c>Keystore:Webhooks:*</c>: where webhooks may point and how their deliveries are retried.</summary>
public sealed class WebhookOptions
{
    /// <summary>Allow <c>http://</c> (and https) to loopback addresses only: for tests and <c>run.sh</c>, never in production.</summary>
    public bool AllowInsecureLoopback { get; set; }

    /// <summary>Deliveries waiting to be sent; when full the oldest is dropped (counted and logged).</summary>
    public int QueueCapacity { get; set; } = 10_000;

    /// <summary>Deliveries being sent at once (each holds its slot through its retries).</summary>
    public int MaxConcurrentDeliveries { get; set; } = 16;

    /// <summary>Attempts per delivery, the first included.</summary>
    public int MaxAttempts { get; set; } = 6;

    /// <summary>The wait before the first retry; it doubles after each failed attempt, up to <see cref="MaxRetryDelay"/>.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(2);

    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>One attempt, from connecting to the receiver's status line.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);

    internal static void Validate(WebhookOptions o, List<string> failures)
    {
        if (o.QueueCapacity is < 1 or > 1_000_000)
            failures.Add("Keystore:Webhooks:QueueCapacity must be between 1 and 1000000.");
        if (o.MaxConcurrentDeliveries is < 1 or > 1000)
            failures.Add("Keystore:Webhooks:MaxConcurrentDeliveries must be between 1 and 1000.");
        if (o.MaxAttempts is < 1 or > 20)
            failures.Add("Keystore:Webhooks:MaxAttempts must be between 1 and 20.");
        if (o.RetryDelay < TimeSpan.FromMilliseconds(10) || o.RetryDelay > TimeSpan.FromHours(1))
            failures.Add("Keystore:Webhooks:RetryDelay must be between 00:00:00.010 and 01:00:00.");
        if (o.MaxRetryDelay < o.RetryDelay || o.MaxRetryDelay > TimeSpan.FromHours(6))
            failures.Add("Keystore:Webhooks:MaxRetryDelay must be at least RetryDelay and at most 06:00:00.");
        if (o.Timeout < TimeSpan.FromMilliseconds(100) || o.Timeout > TimeSpan.FromMinutes(2))
            failures.Add("Keystore:Webhooks:Timeout must be between 00:00:00.100 and 00:02:00.");
    }
}
