using Keystore.LocalNear.Chain;
using Keystore.LocalNear.Genesis;
using Keystore.LocalNear.Rpc;
using Keystore.LocalNear.Runtime;
using Keystore.Near.Keys;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Keystore.LocalNear.Hosting;

/// <summary>
/// A local NEAR chain served over JSON-RPC by Kestrel, in this process. Create it from configuration (the
/// <c>LocalNear</c> section) or from options, <see cref="StartAsync"/> it (port 0 binds a free port; the bound
/// URL is returned), sign with <see cref="Keys"/> (every genesis account's full-access key), dispose to stop.
/// </summary>
public sealed class LocalNearHost : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly Ed25519KeyPair _nodeKey;
    private Uri? _rpcUrl;
    private int _disposed;

    private LocalNearHost(WebApplication app, Ed25519KeyPair nodeKey)
    {
        _app = app;
        _nodeKey = nodeKey;
        Options = app.Services.GetRequiredService<IOptions<LocalNearOptions>>().Value; // validates
        Genesis = app.Services.GetRequiredService<LocalGenesis>();
        Chain = app.Services.GetRequiredService<ILocalChain>();
        Node = app.Services.GetRequiredService<LocalNodeInfo>();
        // Like nearcore's default (cors_allowed_origins ["*"]): browser dApps on any local origin can call the RPC.
        app.UseCors(policy => policy.AllowAnyOrigin().AllowAnyHeader().AllowAnyMethod());
        app.MapNearJsonRpc();
        app.Urls.Add(Options.RpcUrl);
    }

    public LocalNearOptions Options { get; }

    public LocalGenesis Genesis { get; }

    public ILocalChain Chain { get; }

    public LocalNodeInfo Node { get; }

    /// <summary>Full-access key of every genesis account (<c>Keys["test.near"]</c>…).</summary>
    public GenesisKeys Keys => Genesis.Keys;

    public string ChainId => Chain.ChainId;

    /// <summary>The URL the RPC listens on; available once started.</summary>
    public Uri RpcUrl => _rpcUrl ?? throw new InvalidOperationException("The host is not started.");

    public IServiceProvider Services => _app.Services;

    /// <summary>Builds a host from <paramref name="configuration"/> (the <c>LocalNear</c> section); throws <see cref="OptionsValidationException"/> for bad settings.</summary>
    public static LocalNearHost Create(IConfiguration configuration, Action<ILoggingBuilder>? configureLogging = null) =>
        Build(configuration, services => services.AddOptions<LocalNearOptions>().Bind(configuration.GetSection(LocalNearOptions.SectionName)), configureLogging);

    /// <summary>Builds a host from options (tests: set <c>RpcUrl</c> to port 0 and temporary directories).</summary>
    public static LocalNearHost Create(LocalNearOptions options, Action<ILoggingBuilder>? configureLogging = null) =>
        Build(new ConfigurationBuilder().Build(), services => services.AddOptions<LocalNearOptions>().Configure(o => Copy(options, o)), configureLogging);

    private static LocalNearHost Build(IConfiguration configuration, Action<IServiceCollection> addOptions, Action<ILoggingBuilder>? configureLogging)
    {
        // The empty builder reads no appsettings/environment of its own: the caller's configuration is the only input.
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions { ApplicationName = typeof(LocalNearHost).Assembly.GetName().Name });
        builder.Configuration.AddConfiguration(configuration);
        builder.WebHost.UseKestrelCore().ConfigureKestrel(k => k.Limits.MaxRequestBodySize = RpcEndpoints.MaxBodyBytes);
        builder.Services.AddRoutingCore();
        builder.Services.AddCors();
        builder.Logging.AddConfiguration(configuration.GetSection("Logging"));
        configureLogging?.Invoke(builder.Logging);

        addOptions(builder.Services);
        builder.Services.AddSingleton<IValidateOptions<LocalNearOptions>, LocalNearOptionsValidator>();
        builder.Services.AddSingleton(sp => LocalGenesis.Create(
            sp.GetRequiredService<IOptions<LocalNearOptions>>().Value, sp.GetRequiredService<ILoggerFactory>().CreateLogger<LocalGenesis>()));
        builder.Services.AddSingleton<ILocalChain>(sp => new LocalChain(
            sp.GetRequiredService<LocalGenesis>().ChainOptions, sp.GetRequiredService<ILogger<LocalChain>>()));

        var nodeKey = Ed25519KeyPair.Generate();
        builder.Services.AddSingleton(sp =>
        {
            var genesis = sp.GetRequiredService<LocalGenesis>();
            var total = genesis.Document.Accounts.Aggregate(UInt128.Zero, (sum, a) => sum + a.Balance);
            return new LocalNodeInfo(genesis.RootAccountId, genesis.Keys[genesis.RootAccountId].PublicKey, nodeKey.PublicKey, total, DateTimeOffset.UtcNow);
        });
        builder.Services.AddSingleton<TransactionPipeline>();
        builder.Services.AddSingleton<NearRpcHandler>();
        try
        {
            return new LocalNearHost(builder.Build(), nodeKey);
        }
        catch
        {
            nodeKey.Dispose();
            throw;
        }
    }

    /// <summary>Starts serving; returns the bound RPC URL (the real port when configured with port 0).</summary>
    public async Task<Uri> StartAsync(CancellationToken cancellationToken = default)
    {
        await _app.StartAsync(cancellationToken).ConfigureAwait(false);
        var bound = _app.Urls.FirstOrDefault() ?? Options.RpcUrl;
        _rpcUrl = new Uri(bound.Replace("://[::]", "://127.0.0.1", StringComparison.Ordinal).Replace("://0.0.0.0", "://127.0.0.1", StringComparison.Ordinal));
        Node.RpcAddress = _rpcUrl.Authority;
        return _rpcUrl;
    }

    /// <summary>Completes when the host is asked to stop (Ctrl-C / SIGTERM in a console process, or <paramref name="cancellationToken"/>).</summary>
    public Task WaitForShutdownAsync(CancellationToken cancellationToken = default) => _app.WaitForShutdownAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken = default) => _app.StopAsync(cancellationToken);

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        if (_rpcUrl is not null) await _app.StopAsync(CancellationToken.None).ConfigureAwait(false);
        // The container owns the genesis (keys) and the chain and disposes them.
        await _app.DisposeAsync().ConfigureAwait(false);
        _nodeKey.Dispose();
    }

    private static void Copy(LocalNearOptions from, LocalNearOptions to)
    {
        to.RpcUrl = from.RpcUrl;
        to.ChainId = from.ChainId;
        to.DataDir = from.DataDir;
        to.CredentialsDir = from.CredentialsDir;
        to.WriteCredentials = from.WriteCredentials;
        to.GenesisFile = from.GenesisFile;
        to.BlockIntervalNanos = from.BlockIntervalNanos;
        to.Mpc = new LocalMpcOptions { MasterKeyHex = from.Mpc.MasterKeyHex, DomainId = from.Mpc.DomainId, TimeoutFirstRequests = from.Mpc.TimeoutFirstRequests };
    }
}
