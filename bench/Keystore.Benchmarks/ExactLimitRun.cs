using System.Diagnostics;
using System.Numerics;
using Keystore.State;
using Keystore.TestSupport.State;

namespace Keystore.Benchmarks;

/// <summary>
/// Issue 13's acceptance as a measurement: <c>requests</c> parallel reserve-then-commit calls against one account's daily
/// limit admit exactly floor(limit / amount), on SQLite with one instance and on PostgreSQL with two instances (two
/// stores, two connection pools) sharing the database. Prints, per round, what was admitted against what fits, the wall
/// time and each call's latency; exits 1 unless every round admitted exactly what fits and the window holds exactly that.
/// </summary>
internal static class ExactLimitRun
{
    private static readonly BigInteger Limit = 1_000_000, Amount = 3_001;

    public static async Task<int> RunAsync(int requests, int rounds)
    {
        bool exact = await MeasureAsync("sqlite", instances: 1, requests, rounds);
        if (Environment.GetEnvironmentVariable("KEYSTORE_TEST_POSTGRES") is { Length: > 0 })
            exact &= await MeasureAsync("postgres", instances: 2, requests, rounds);
        else
            Console.WriteLine("postgres: skipped (KEYSTORE_TEST_POSTGRES is not set; eval \"$(bash scripts/postgres-test-cluster.sh start)\")");
        return exact ? 0 : 1;
    }

    private static async Task<bool> MeasureAsync(string provider, int instances, int requests, int rounds)
    {
        await using BenchmarkStateStore first = await BenchmarkStateStore.OpenAsync(provider);
        var stores = new List<BenchmarkStateStore> { first };
        try
        {
            for (int i = 1; i < instances; i++)
                stores.Add(await first.OpenAnotherInstanceAsync());
            ISpendingWindows[] windows = stores.Select(s => s.Windows()).ToArray();
            int fits = (int)BigInteger.Min(Limit / Amount, requests);
            Console.WriteLine($"{provider}: {requests} parallel reserve-then-commit calls through {instances} instance(s), limit {Limit}, amount {Amount}: {fits} of them fit");
            bool exact = true;
            for (int round = 0; round < rounds; round++)
            {
                string account = $"limit-{round}.near";
                var latencies = new double[requests];
                var wall = Stopwatch.StartNew();
                int[] outcome = await Task.WhenAll(Enumerable.Range(0, requests).Select(i => Task.Run(async () =>
                {
                    ISpendingWindows w = windows[i % windows.Length];
                    long started = Stopwatch.GetTimestamp();
                    WindowReservation r = await w.ReserveAsync(account, [new WindowCharge("daily", TimeSpan.FromDays(1), Limit, Amount, "daily")], DateTimeOffset.UtcNow);
                    if (r.Reserved)
                        await w.CommitAloneAsync(stores[i % stores.Count].Store, r);
                    latencies[i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                    return r.Reserved ? 1 : 0;
                })));
                wall.Stop();
                int committed = outcome.Sum();
                BigInteger total = (await windows[0].GetTotalsAsync(account, [new WindowCharge("daily", TimeSpan.FromDays(1), Limit, 0, "daily")], DateTimeOffset.UtcNow))[0].Current;
                bool ok = committed == fits && total == committed * Amount;
                exact &= ok;
                Array.Sort(latencies);
                Console.WriteLine($"  round {round + 1}: committed {committed} of {fits} that fit, window total {total} ({(ok ? "exact" : "WRONG")}), " +
                    $"{wall.Elapsed.TotalMilliseconds:F0} ms for all {requests}, per call p50 {latencies[requests / 2]:F1} ms p99 {latencies[requests * 99 / 100]:F1} ms");
            }
            return exact;
        }
        finally
        {
            foreach (BenchmarkStateStore other in stores.Skip(1))
                await other.DisposeAsync();
        }
    }
}
