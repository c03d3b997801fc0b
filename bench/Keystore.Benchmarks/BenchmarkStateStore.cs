using System.Security.Cryptography;
using Keystore.Boot;
using Keystore.Configuration;
using Keystore.MasterSecrets;
using Keystore.State;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Keystore.Benchmarks;

/// <summary>
/// An open state store for a benchmark, as the keystore opens it, under a random master secret: SQLite on a file in a new
/// temporary folder, or PostgreSQL in a new database on the server <c>KEYSTORE_TEST_POSTGRES</c> names
/// (<c>eval "$(bash scripts/postgres-test-cluster.sh start)"</c>). Disposing it closes the store and deletes the folder.
/// </summary>
internal sealed class BenchmarkStateStore : IAsyncDisposable
{
    private readonly string? _folder;

    private readonly byte[] _secret;

    private BenchmarkStateStore(KeystoreOptions options, byte[] secret, KeystoreState state, StateSealer sealer, StateStore store, string? folder)
    {
        _secret = secret;
        Options = options;
        State = state;
        Sealer = sealer;
        Store = store;
        _folder = folder;
    }

    public KeystoreOptions Options { get; }
    public KeystoreState State { get; }
    public StateSealer Sealer { get; }
    public StateStore Store { get; }

    /// <param name="provider"><c>sqlite</c> or <c>postgres</c>.</param>
    /// <param name="name">A short word for the temporary folder or database (letters and underscores).</param>
    public static async Task<BenchmarkStateStore> OpenAsync(string provider, string name)
    {
        var options = new KeystoreOptions();
        options.State.Provider = provider;
        string? folder = null;
        if (provider == "sqlite")
        {
            folder = Path.Combine(Path.GetTempPath(), $"keystore-{name}-bench-" + Guid.NewGuid().ToString("N"));
            options.State.SqlitePath = Path.Combine(folder, "state.db");
        }
        else
        {
            string server = Environment.GetEnvironmentVariable("KEYSTORE_TEST_POSTGRES")
                ?? throw new InvalidOperationException("Set KEYSTORE_TEST_POSTGRES (eval \"$(bash scripts/postgres-test-cluster.sh start)\").");
            string database = $"ks_{name}_" + Guid.NewGuid().ToString("N");
            await using (var connection = new NpgsqlConnection(server))
            {
                await connection.OpenAsync();
                await using var create = new NpgsqlCommand($"CREATE DATABASE {database}", connection);
                await create.ExecuteNonQueryAsync();
            }
            options.State.ConnectionString = new NpgsqlConnectionStringBuilder(server) { Database = database }.ConnectionString;
        }
        return await OpenAsync(options, RandomNumberGenerator.GetBytes(32), folder);
    }

    /// <summary>A second keystore instance on the same PostgreSQL database under the same master secret (a fleet of two).</summary>
    public Task<BenchmarkStateStore> OpenAnotherInstanceAsync() =>
        Options.State.ParsedProvider == StateProviderKind.Postgres
            ? OpenAsync(Options, _secret, folder: null)
            : throw new InvalidOperationException("Only PostgreSQL is shared by several instances; SQLite has one writer.");

    private static async Task<BenchmarkStateStore> OpenAsync(KeystoreOptions options, byte[] secret, string? folder)
    {
        var state = new KeystoreState(TimeProvider.System);
        state.SetMasterSecret(new MasterSecret(secret), "bench");
        var sealer = new StateSealer(state);
        var store = new StateStore(sealer, Microsoft.Extensions.Options.Options.Create(options), TimeProvider.System, NullLogger<StateStore>.Instance);
        await store.OpenAsync(CancellationToken.None);
        return new BenchmarkStateStore(options, secret, state, sealer, store, folder);
    }

    /// <summary>The spending windows the keystore uses on this provider (as its service registration picks them).</summary>
    public ISpendingWindows Windows() =>
        Options.State.ParsedProvider == StateProviderKind.Postgres ? new SharedSpendingWindows(Store) : new SingleWriterSpendingWindows(Store);

    public async ValueTask DisposeAsync()
    {
        await Store.DisposeAsync();
        Sealer.Dispose();
        State.Dispose();
        if (_folder is not null) Directory.Delete(_folder, recursive: true);
    }
}
