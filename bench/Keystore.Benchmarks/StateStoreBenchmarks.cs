using System.Security.Cryptography;
using BenchmarkDotNet.Attributes;
using Keystore.Boot;
using Keystore.Configuration;
using Keystore.MasterSecrets;
using Keystore.State;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Keystore.Benchmarks;

/// <summary>
/// What the sealed store adds to a sign request: a spending-window reservation and its commit (or release), and the
/// NEP-413 nonce check, on SQLite (a temporary file) and on PostgreSQL (<c>KEYSTORE_TEST_POSTGRES</c>, e.g. from
/// <c>scripts/postgres-test-cluster.sh start</c>). Run: <c>dotnet run -c Release --project bench/Keystore.Benchmarks -- --filter *StateStore* --inProcess</c>; the median is the p50.
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
public class StateStoreBenchmarks
{
    private static readonly WindowCharge[] Charges = [new("daily-eth", TimeSpan.FromDays(1), System.Numerics.BigInteger.Parse("500000000000000000"), 1_000_000_000_000, "daily")];
    private KeystoreState _state = null!;
    private StateSealer _sealer = null!;
    private StateStore _store = null!;
    private SpendingWindows _windows = null!;
    private NonceStore _nonces = null!;
    private string? _folder;
    private int _account;

    [Params("sqlite", "postgres")]
    public string Provider { get; set; } = "sqlite";

    [GlobalSetup]
    public async Task SetupAsync()
    {
        var options = new StateOptions { Provider = Provider };
        if (Provider == "sqlite")
        {
            _folder = Path.Combine(Path.GetTempPath(), "keystore-state-bench-" + Guid.NewGuid().ToString("N"));
            options.SqlitePath = Path.Combine(_folder, "state.db");
        }
        else
        {
            string server = Environment.GetEnvironmentVariable("KEYSTORE_TEST_POSTGRES")
                ?? throw new InvalidOperationException("Set KEYSTORE_TEST_POSTGRES (eval \"$(bash scripts/postgres-test-cluster.sh start)\").");
            string name = "ks_bench_" + Guid.NewGuid().ToString("N");
            await using (var connection = new NpgsqlConnection(server))
            {
                await connection.OpenAsync();
                await using var create = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
                await create.ExecuteNonQueryAsync();
            }
            options.ConnectionString = new NpgsqlConnectionStringBuilder(server) { Database = name }.ConnectionString;
        }
        _state = new KeystoreState(TimeProvider.System);
        _state.SetMasterSecret(new MasterSecret(RandomNumberGenerator.GetBytes(32)), "bench");
        _sealer = new StateSealer(_state);
        _store = new StateStore(_sealer, Options.Create(new KeystoreOptions { State = options }), TimeProvider.System, NullLogger<StateStore>.Instance);
        await _store.OpenAsync(CancellationToken.None);
        _windows = new SpendingWindows(_store);
        _nonces = new NonceStore(_store);
        // An account with a busy day behind it: 100 committed reservations in its window.
        for (int i = 0; i < 100; i++)
            await _windows.CommitAsync(await _windows.ReserveAsync("busy.near", Charges, DateTimeOffset.UtcNow));
    }

    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        await _store.DisposeAsync();
        _sealer.Dispose();
        _state.Dispose();
        if (_folder is not null) Directory.Delete(_folder, recursive: true);
    }

    /// <summary>Reserve then commit, as a signature that succeeded does, on an account with nothing in its window yet.</summary>
    [Benchmark]
    public async Task Reserve_and_commit()
    {
        string account = "bench-" + Interlocked.Increment(ref _account) + ".near";
        await _windows.CommitAsync(await _windows.ReserveAsync(account, Charges, DateTimeOffset.UtcNow));
    }

    /// <summary>Reserve then release on an account that already has 100 reservations in its window (they are all read and opened).</summary>
    [Benchmark]
    public async Task Reserve_and_release_with_100_in_the_window() =>
        await _windows.ReleaseAsync(await _windows.ReserveAsync("busy.near", Charges, DateTimeOffset.UtcNow));

    /// <summary>One NEP-413 nonce accepted (the replay check every signed request makes), for an account with a few live nonces.</summary>
    [Benchmark]
    public Task<Auth.NonceUse> Nonce_check() =>
        _nonces.TryUseAsync("nonce-" + (Interlocked.Increment(ref _account) % 1000) + ".near", RandomNumberGenerator.GetBytes(32), RandomNumberGenerator.GetBytes(32),
            DateTimeOffset.UtcNow.AddMinutes(5), 10_000, CancellationToken.None);
}
