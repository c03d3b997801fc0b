using System.Security.Cryptography;
using Keystore.Boot;
using Keystore.Configuration;
using Keystore.State;
using Keystore.TestSupport.State;

namespace Keystore.Benchmarks;

/// <summary>
/// An open state store for a benchmark, as the tests open one (<see cref="StateTestStore"/>), under a random master
/// secret: SQLite on a file in a new temporary folder, or PostgreSQL in a new database on the server
/// <c>KEYSTORE_TEST_POSTGRES</c> names (<c>eval "$(bash scripts/postgres-test-cluster.sh start)"</c>). Disposing it
/// closes the store and deletes the folder.
/// </summary>
internal sealed class BenchmarkStateStore : IAsyncDisposable
{
    private readonly StateTestStore _db;
    private readonly byte[] _secret;

    private BenchmarkStateStore(StateTestStore db, byte[] secret)
    {
        _db = db;
        _secret = secret;
    }

    public KeystoreOptions Options => _db.Options;
    public KeystoreState State => _db.State;
    public StateSealer Sealer => _db.Sealer;
    public StateStore Store => _db.Store;

    /// <param name="provider"><c>sqlite</c> or <c>postgres</c>.</param>
    public static async Task<BenchmarkStateStore> OpenAsync(string provider)
    {
        byte[] secret = RandomNumberGenerator.GetBytes(32);
        StateTestStore db = provider == "sqlite"
            ? await StateTestStore.SqliteAsync(master: secret)
            : await StateTestStore.PostgresAsync(await TestPostgres.CreateDatabaseAsync(), master: secret);
        return new BenchmarkStateStore(db, secret);
    }

    /// <summary>A second keystore instance on the same PostgreSQL database under the same master secret (a fleet of two).</summary>
    public async Task<BenchmarkStateStore> OpenAnotherInstanceAsync() =>
        Options.State.ParsedProvider == StateProviderKind.Postgres
            ? new BenchmarkStateStore(await StateTestStore.PostgresAsync(Options.State.ConnectionString!, master: _secret), _secret)
            : throw new InvalidOperationException("Only PostgreSQL is shared by several instances; SQLite has one writer.");

    /// <summary>The spending windows the keystore uses on this provider (as its service registration picks them).</summary>
    public ISpendingWindows Windows() =>
        Options.State.ParsedProvider == StateProviderKind.Postgres ? new SharedSpendingWindows(Store) : new SingleWriterSpendingWindows(Store);

    public ValueTask DisposeAsync() => _db.DisposeAsync();
}
