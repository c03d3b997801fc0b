using Keystore.LocalNear.Genesis;
using Keystore.LocalNear.Hosting;
using Keystore.Near.Keys;
using Keystore.Near.Rpc;

namespace Keystore.TestSupport.Chain;

/// <summary>
/// A local NEAR chain (<see cref="LocalNearHost"/>) on a free port with its data and NEAR CLI credentials in a
/// temporary directory, and an RPC client to it. The LocalNear tests use it bare; the end-to-end tests put the
/// keystore network on it.
/// </summary>
public sealed class LocalChainHost : IAsyncDisposable
{
    public static readonly UInt128 OneNear = GenesisDocument.OneNear;
    public const ulong Tgas = 1_000_000_000_000;

    /// <summary>Generous: a contract call on Wasmtime takes long on a loaded machine, and a hung chain still fails the test.</summary>
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromMinutes(2);

    private readonly HttpClient _http = new() { Timeout = RequestTimeout };
    private readonly bool _ownsDirectory;

    private LocalChainHost(string directory, bool ownsDirectory, LocalNearHost host, Uri url, int rpcAttempts)
    {
        _ownsDirectory = ownsDirectory;
        Directory = directory;
        Host = host;
        Url = url;
        Rpc = new NearRpcClient(_http, new NearRpcOptions { Endpoints = [url], MaxAttempts = rpcAttempts, RequestTimeout = RequestTimeout });
    }

    public string Directory { get; }

    public LocalNearHost Host { get; }

    public Uri Url { get; }

    public NearRpcClient Rpc { get; }

    public string CredentialsDir => Path.Combine(Directory, "credentials");

    public string DataDir => Path.Combine(Directory, "data");

    /// <summary>Where the chain wrote an account's NEAR CLI credentials (<c>&lt;chain id&gt;/&lt;account&gt;.json</c>).</summary>
    public string CredentialsFile(string account) => Path.Combine(CredentialsDir, Host.ChainId, account + ".json");

    /// <summary>A genesis account's generated key.</summary>
    public Ed25519KeyPair Key(string account) => Host.Keys[account];

    /// <summary>Signs as a genesis account with its genesis key.</summary>
    public TransactionSender Sender(string account) => new(Rpc, account, Key(account));

    /// <summary>
    /// Starts a chain; a given <paramref name="directory"/> is reused and kept, a fresh one is deleted on dispose.
    /// <paramref name="rpcAttempts"/> is 1 where a test reads the chain's first answer, more where it only needs a result.
    /// </summary>
    public static async Task<LocalChainHost> StartAsync(Action<LocalNearOptions>? configure = null, string? directory = null, int rpcAttempts = 1)
    {
        bool owns = directory is null;
        directory ??= System.IO.Directory.CreateTempSubdirectory("localnear-").FullName;
        var options = new LocalNearOptions
        {
            RpcUrl = "http://127.0.0.1:0",
            DataDir = Path.Combine(directory, "data"),
            CredentialsDir = Path.Combine(directory, "credentials"),
        };
        configure?.Invoke(options);
        LocalNearHost host = LocalNearHost.Create(options);
        try
        {
            Uri url = await host.StartAsync().ConfigureAwait(false);
            return new LocalChainHost(directory, owns, host, url, rpcAttempts);
        }
        catch
        {
            await host.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Host.DisposeAsync().ConfigureAwait(false);
        _http.Dispose();
        if (!_ownsDirectory) return;
        try { System.IO.Directory.Delete(Directory, recursive: true); }
        catch (IOException) { /* a lingering child process may still hold a file; the OS cleans temp */ }
    }
}
