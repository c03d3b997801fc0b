using Keystore.Boot;
using Keystore.Configuration;
using Keystore.MasterSecrets;
using Keystore.State;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Keystore.TestSupport.State;

/// <summary>
/// A state store as the keystore opens it (the same classes, a master secret in <see cref="KeystoreState"/>), on a
/// SQLite file in a temporary folder or on a PostgreSQL database, for tests below the HTTP layer.
/// </summary>
public sealed class StateTestStore : IAsyncDisposable
{
    public static readonly byte[] DefaultMaster = Convert.FromHexString("00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff");

    private readonly string? _ownedFolder;

    private StateTestStore(StateStore store, KeystoreState state, StateSealer sealer, KeystoreOptions options, string? ownedFolder)
    {
        Store = store;
        State = state;
        Sealer = sealer;
        Options = options;
        _ownedFolder = ownedFolder;
    }

    public StateStore Store { get; }
    public KeystoreState State { get; }
    public StateSealer Sealer { get; }
    public KeystoreOptions Options { get; }

    public static string NewSqlitePath(out string folder)
    {
        folder = Path.Combine(Path.GetTempPath(), "keystore-state-test-" + Guid.NewGuid().ToString("N"));
        return Path.Combine(folder, "state.db");
    }

    /// <summary>A store on <paramref name="sqlitePath"/> (a new temporary file when null, deleted on dispose).</summary>
    public static Task<StateTestStore> SqliteAsync(string? sqlitePath = null, TimeProvider? clock = null, byte[]? master = null)
    {
        string? owned = null;
        sqlitePath ??= NewSqlitePath(out owned);
        return OpenAsync(new StateOptions { Provider = "sqlite", SqlitePath = sqlitePath }, clock, master, owned);
    }

    public static Task<StateTestStore> PostgresAsync(string connectionString, TimeProvider? clock = null, byte[]? master = null) =>
        OpenAsync(new StateOptions { Provider = "postgres", ConnectionString = connectionString }, clock, master, null);

    private static async Task<StateTestStore> OpenAsync(StateOptions stateOptions, TimeProvider? clock, byte[]? master, string? owned)
    {
        clock ??= TimeProvider.System;
        var options = new KeystoreOptions { State = stateOptions };
        var state = new KeystoreState(clock);
        state.SetMasterSecret(new MasterSecret(master ?? DefaultMaster), "test");
        var sealer = new StateSealer(state);
        var store = new StateStore(sealer, Microsoft.Extensions.Options.Options.Create(options), clock, NullLogger<StateStore>.Instance);
        await store.OpenAsync(CancellationToken.None);
        return new StateTestStore(store, state, sealer, options, owned);
    }

    public async ValueTask DisposeAsync()
    {
        await Store.DisposeAsync();
        Sealer.Dispose();
        State.Dispose();
        if (_ownedFolder is not null && Directory.Exists(_ownedFolder))
            Directory.Delete(_ownedFolder, recursive: true);
    }
}
