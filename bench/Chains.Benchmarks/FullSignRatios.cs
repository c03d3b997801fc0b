using System.Globalization;
using BenchmarkDotNet.Reports;

namespace Keystore.Chains.Benchmarks;

/// <summary>
/// Per chain (benchmark category): the full sign next to its baseline, the native sign + verify measured in the same
/// run, and their ratio against the goal of issue 12 (full sign within 1.5× of native sign + verify). Medians, not means:
/// on a shared machine a few iterations slowed by other processes move a mean, and with it the ratio, from run to run.
/// </summary>
internal static class FullSignRatios
{
    public const double Goal = 1.5;

    public static IEnumerable<string> Lines(IEnumerable<Summary> summaries)
    {
        foreach (Summary summary in summaries)
        {
            var byChain = summary.Reports
                .Where(r => r.ResultStatistics is not null)
                // One group per job and chain: a baseline is only compared with the runs of its own job.
                .GroupBy(r => r.BenchmarkCase.Job.DisplayInfo + " " + string.Join(",", r.BenchmarkCase.Descriptor.Categories));
            foreach (var chain in byChain)
            {
                BenchmarkReport? native = chain.FirstOrDefault(r => r.BenchmarkCase.Descriptor.Baseline);
                if (native is null) continue;
                foreach (BenchmarkReport full in chain.Where(r => !r.BenchmarkCase.Descriptor.Baseline))
                {
                    double fullUs = full.ResultStatistics!.Median / 1000, nativeUs = native.ResultStatistics!.Median / 1000;
                    double ratio = fullUs / nativeUs;
                    yield return string.Create(CultureInfo.InvariantCulture,
                        $"{chain.Key}: {full.BenchmarkCase.Descriptor.WorkloadMethod.Name} {fullUs:F1} µs vs {native.BenchmarkCase.Descriptor.WorkloadMethod.Name} {nativeUs:F1} µs (medians) = {ratio:F2}× (goal ≤ {Goal}×: {(ratio <= Goal ? "met" : "not met")})");
                }
            }
        }
    }
}
