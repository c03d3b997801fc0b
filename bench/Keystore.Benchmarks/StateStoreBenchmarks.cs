using System.Security.Cryptography;
using BenchmarkDotNet.Attributes;
using Keystore.State;
using Keystore.TestSupport.State;

namespace Keystore.Benchmarks;

/// <summary>
/// What the sealed store adds to a sign request: a spending-window reservation and its commit (or release), with the
/// windows the keystore uses on each provider (<see cref="SingleWriterSpendingWindows"/>, <see cref="SharedSpendingWindows"/>), and the
/// NEP-413 nonce check, on SQLite (a temporary file) and on PostgreSQL (<c>KEYSTORE_TEST_POSTGRES</c>, e.g. from
/// <c>scripts/postgres-test-cluster.sh start</c>). Run: <c>dotnet run -c Release --project bench/Keystore.Benchmarks -- --filter *StateStore* --inProcess</c>; the median is the p50.
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
public class StateStoreBenchmarks
{
    private static readonly WindowCharge[] Charges = [new("daily-eth", TimeSpan.FromDays(1), System.Numerics.BigInteger.Parse("500000000000000000"), 1_000_000_000_000, "daily")];
    private BenchmarkStateStore _db = null!;
    private ISpendingWindows _windows = null!;
    private NonceStore _nonces = null!;
    private int _account;

    [Params("sqlite", "postgres")]
    public string Provider { get; set; } = "sqlite";

    [GlobalSetup]
    public async Task SetupAsync()
    {
        _db = await BenchmarkStateStore.OpenAsync(Provider);
        _windows = _db.Windows();
        _nonces = new NonceStore(_db.Store);
        // An account with a busy day behind it: 100 committed reservations in its window.
        for (int i = 0; i < 100; i++)
            await _windows.CommitAloneAsync(_db.Store, await _windows.ReserveAsync("busy.near", Charges, DateTimeOffset.UtcNow));
    }

    [GlobalCleanup]
    public Task CleanupAsync() => _db.DisposeAsync().AsTask();

    /// <summary>Reserve then commit, as a signature that succeeded does, on an account with nothing in its window yet.</summary>
    [Benchmark]
    public async Task Reserve_and_commit()
    {
        string account = "bench-" + Interlocked.Increment(ref _account) + ".near";
        await _windows.CommitAloneAsync(_db.Store, await _windows.ReserveAsync(account, Charges, DateTimeOffset.UtcNow));
    }

    /// <summary>Reserve then release on an account that already has 100 reservations in its window (summed in memory on SQLite; on PostgreSQL read again only when another writer changed them).</summary>
    [Benchmark]
    public async Task Reserve_and_release_with_100_in_the_window() =>
        await _windows.ReleaseAsync(await _windows.ReserveAsync("busy.near", Charges, DateTimeOffset.UtcNow));

    /// <summary>One NEP-413 nonce accepted (the replay check every signed request makes), for an account with a few live nonces.</summary>
    [Benchmark]
    public Task<Auth.NonceUse> Nonce_check() =>
        _nonces.TryUseAsync("nonce-" + (Interlocked.Increment(ref _account) % 1000) + ".near", RandomNumberGenerator.GetBytes(32), agentKey: false, RandomNumberGenerator.GetBytes(32),
            DateTimeOffset.UtcNow.AddMinutes(5), 10_000, CancellationToken.None);
}
