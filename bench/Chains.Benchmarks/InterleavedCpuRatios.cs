using System.Globalization;
using System.Runtime.InteropServices;

namespace Keystore.Chains.Benchmarks;

/// <summary>
/// The same ratios measured another way, for a shared machine: the calling thread's CPU time (<c>CLOCK_THREAD_CPUTIME_ID</c>),
/// not the wall clock, so time the scheduler gives other processes is not counted; and full sign and baseline alternate in
/// short blocks, so both see the same load. The ratio is that of the median block of each. Linux only.
/// </summary>
internal static unsafe partial class InterleavedCpuRatios
{
    private const int ThreadCpuClock = 3; // CLOCK_THREAD_CPUTIME_ID
    private const int OperationsPerBlock = 50;

    public static IEnumerable<string> Lines(int rounds)
    {
        var benchmarks = new SigningBenchmarks();
        benchmarks.Setup();
        try
        {
            var chains = new (string Chain, string Full, Func<object> RunFull, string Native, Func<object> RunNative)[]
            {
                ("ethereum", nameof(SigningBenchmarks.EthereumEip1559Transaction), benchmarks.EthereumEip1559Transaction,
                    nameof(SigningBenchmarks.NativeEcdsaSignAndVerify), () => benchmarks.NativeEcdsaSignAndVerify()),
                ("bitcoin", nameof(SigningBenchmarks.BitcoinTaprootPsbtOneInput), benchmarks.BitcoinTaprootPsbtOneInput,
                    nameof(SigningBenchmarks.NativeBip340SignAndVerify), () => benchmarks.NativeBip340SignAndVerify()),
                ("solana", nameof(SigningBenchmarks.SolanaMessage), benchmarks.SolanaMessage,
                    nameof(SigningBenchmarks.NativeEd25519SignAndVerify), () => benchmarks.NativeEd25519SignAndVerify()),
            };
            foreach (var (chain, fullName, runFull, nativeName, runNative) in chains)
            {
                // Warm-up: tiered JIT settles both before anything counts.
                for (int i = 0; i < 2_000; i++)
                {
                    runFull();
                    runNative();
                }
                var full = new double[rounds];
                var native = new double[rounds];
                for (int round = 0; round < rounds; round++)
                {
                    full[round] = MicrosecondsPerOperation(runFull);
                    native[round] = MicrosecondsPerOperation(runNative);
                }
                double fullUs = Median(full), nativeUs = Median(native), ratio = fullUs / nativeUs;
                yield return string.Create(CultureInfo.InvariantCulture,
                    $"cpu {chain}: {fullName} {fullUs:F1} µs vs {nativeName} {nativeUs:F1} µs (thread CPU, medians of {rounds} interleaved blocks) = {ratio:F2}× (goal ≤ {FullSignRatios.Goal}×: {(ratio <= FullSignRatios.Goal ? "met" : "not met")})");
            }
        }
        finally
        {
            benchmarks.Cleanup();
        }
    }

    private static double MicrosecondsPerOperation(Func<object> operation)
    {
        long start = ThreadCpuNanoseconds();
        for (int i = 0; i < OperationsPerBlock; i++) operation();
        return (ThreadCpuNanoseconds() - start) / 1000.0 / OperationsPerBlock;
    }

    private static double Median(double[] values)
    {
        double[] sorted = [.. values.Order()];
        int middle = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }

    private static long ThreadCpuNanoseconds()
    {
        TimeSpec now;
        if (clock_gettime(ThreadCpuClock, &now) != 0) throw new InvalidOperationException("clock_gettime(CLOCK_THREAD_CPUTIME_ID) failed.");
        return now.Seconds * 1_000_000_000L + now.Nanoseconds;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    [LibraryImport("libc", SetLastError = false)]
    private static partial int clock_gettime(int clock, TimeSpec* time);
}
