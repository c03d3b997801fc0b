using Keystore.LocalNear.Genesis;
using Keystore.LocalNear.Hosting;
using Keystore.Near.Rpc;

namespace Keystore.LocalNear.Tests.Rpc;

/// <summary>A <see cref="LocalNearHost"/> on a free port with its data and credentials in a temporary directory.</summary>
internal sealed class RpcTestHost : IAsyncDisposable
{
    public static readonly UInt128 OneNear = GenesisDocument.OneNear;
    public const ulong Tgas = 1_000_000_000_000;

    private readonly HttpClient _http = new();

    private readonly bool _ownsDirectory;

    private RpcTestHost(string directory, bool ownsDirectory, LocalNearHost host, Uri url)
    {
        _ownsDirectory = ownsDirectory;
        Directory = directory;
        Host = host;
        Url = url;
        Rpc = new NearRpcClient(_http, new NearRpcOptions { Endpoints = [url], MaxAttempts = 1, RequestTimeout = TimeSpan.FromSeconds(60) });
    }

    public string Directory { get; }

    public LocalNearHost Host { get; }

    public Uri Url { get; }

    public NearRpcClient Rpc { get; }

    public string CredentialsDir => Path.Combine(Directory, "credentials");

    public string DataDir => Path.Combine(Directory, "data");

    /// <summary>Starts a host; a given <paramref name="directory"/> is reused and kept, a fresh one is deleted on dispose.</summary>
    public static async Task<RpcTestHost> StartAsync(Action<LocalNearOptions>? configure = null, string? directory = null)
    {
        bool owns = directory is null;
        directory ??= System.IO.Directory.CreateTempSubdirectory("localnear-rpc-").FullName;
        var options = new LocalNearOptions
        {
            RpcUrl = "http://127.0.0.1:0",
            DataDir = Path.Combine(directory, "data"),
            CredentialsDir = Path.Combine(directory, "credentials"),
        };
        configure?.Invoke(options);
        var host = LocalNearHost.Create(options);
        try
        {
            var url = await host.StartAsync();
            return new RpcTestHost(directory, owns, host, url);
        }
        catch
        {
            await host.DisposeAsync();
            throw;
        }
    }

    /// <summary>Signs as a genesis account with its genesis key.</summary>
    public TransactionSender Sender(string accountId) => new(Rpc, accountId, Host.Keys[accountId]);

    public async ValueTask DisposeAsync()
    {
        await Host.DisposeAsync();
        _http.Dispose();
        if (!_ownsDirectory) return;
        try { System.IO.Directory.Delete(Directory, recursive: true); }
        catch (IOException) { /* a lingering child process may still hold a file; the OS cleans temp */ }
    }
}
