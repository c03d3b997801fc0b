namespace Keystore.Near.Rpc;

/// <summary>Endpoints (tried in order, failing over on transient errors), per-request timeout and retry policy.</summary>
public sealed record NearRpcOptions
{
    public required IReadOnlyList<Uri> Endpoints { get; init; }
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(10);
    /// <summary>Total attempts across all endpoints for one call.</summary>
    public int MaxAttempts { get; init; } = 5;
    public TimeSpan BaseDelay { get; init; } = TimeSpan.FromMilliseconds(200);
    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromSeconds(5);
}
