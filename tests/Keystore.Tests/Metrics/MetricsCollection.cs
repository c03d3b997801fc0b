namespace Keystore.Tests.Metrics;

/// <summary>
/// The metrics registry is one per process and the gauges are refreshed by whichever keystore is scraped: the tests that
/// read exact values run alone, after the parallel ones, so no other test's keystore moves a series between two scrapes.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class MetricsCollection
{
    public const string Name = "Metrics";
}
