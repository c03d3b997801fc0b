using Keystore.Agents;
using Keystore.Api;
using Keystore.Api.ChainRequests;
using Keystore.Approvals;
using Keystore.Audit;
using Keystore.Auth;
using Keystore.Bindings;
using Keystore.Boot;
using Keystore.Chains;
using Keystore.Chains.Bitcoin;
using Keystore.Chains.Ethereum;
using Keystore.Chains.Solana;
using Keystore.Configuration;
using Keystore.Dao;
using Keystore.Derivation;
using Keystore.Export;
using Keystore.MasterSecrets;
using Keystore.Metrics;
using Keystore.OpenApi;
using Keystore.State;
using Keystore.Tee;
using Keystore.Webhooks;
using Microsoft.Extensions.Options;

namespace Keystore.Hosting;

/// <summary>
/// Composes the keystore: configuration, services and routes. Program and the tests build the very
/// same application; tests only add configuration or replace a service.
/// </summary>
public static class KeystoreApplication
{
    /// <summary>Where the API listens when nothing says otherwise: loopback, so a development run is not exposed.</summary>
    public const string DefaultUrls = "http://127.0.0.1:8080";

    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        WebApplicationBuilder builder = WebApplication.CreateBuilder(ConfigurationReadOnce(args));
        builder.Services.AddKeystore(builder.Configuration);
        configure?.Invoke(builder);
        // The default lives here, not in appsettings.json: the JSON file is read after ASPNETCORE_URLS and would
        // override it, leaving a container listening on loopback only.
        if (!HasListenAddress(builder.Configuration))
            builder.WebHost.UseUrls(DefaultUrls);
        // Kestrel's own refusals (e.g. %00 in a path) get a problem+json body like every other error.
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.ConfigureEndpointDefaults(listen => listen.Use(next => connection =>
        {
            connection.Transport = new RejectionProblemTransport(connection.Transport);
            return next(connection);
        })));
        WebApplication app = builder.Build();
        app.MapKeystore();
        return app;
    }

    /// <summary>The host setting that makes every configuration file watched for changes (on by default in .NET).</summary>
    public const string ReloadConfigOnChangeKey = "hostBuilder:reloadConfigOnChange";

    /// <summary>
    /// The host's arguments with <c>hostBuilder:reloadConfigOnChange=false</c> in front, unless the environment sets it.
    /// The keystore reads its configuration once: options are validated at start and most are read once, so a change
    /// needs a restart anyway. A reloading host watches the content root recursively, and the state database lives
    /// under it: every write-ahead-log write would wake a file watcher (inotify reads and <c>lstat</c>s per request).
    /// An explicit setting still wins: a later command-line argument overrides this one, and an environment variable
    /// (<c>DOTNET_</c> or <c>ASPNETCORE_</c> prefix), which the command line would override, is honoured by not adding it.
    /// </summary>
    public static string[] ConfigurationReadOnce(string[] args) => ConfigurationReadOnce(args, Environment.GetEnvironmentVariables());

    /// <param name="args">The command line.</param>
    /// <param name="environment">The process's environment variables (injected by tests).</param>
    public static string[] ConfigurationReadOnce(string[] args, System.Collections.IDictionary environment)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(environment);
        foreach (string name in environment.Keys.OfType<string>())
        {
            // The names the host's environment providers map to the key: either prefix, '__' or ':' between the parts.
            string key = name.Replace("__", ":", StringComparison.Ordinal);
            foreach (string prefix in (ReadOnlySpan<string>)["DOTNET_", "ASPNETCORE_"])
                if (key.Equals(prefix + ReloadConfigOnChangeKey, StringComparison.OrdinalIgnoreCase))
                    return args;
        }
        return [$"--{ReloadConfigOnChangeKey}=false", .. args];
    }

    /// <summary>
    /// Resolves the configuration once, before the host starts, so a bad setting is one clear message rather
    /// than a host failure logged and then thrown again. Null when the configuration is usable.
    /// </summary>
    public static string? ConfigurationError(IServiceProvider services)
    {
        try
        {
            _ = services.GetRequiredService<IOptions<KeystoreOptions>>().Value;
            return null;
        }
        catch (OptionsValidationException ex)
        {
            return "Invalid configuration: " + string.Join(" ", ex.Failures);
        }
        catch (InvalidOperationException ex)
        {
            // The binder quotes the value it could not convert; the key is enough, and the value may be a secret.
            return "Invalid configuration: " + System.Text.RegularExpressions.Regex.Replace(
                ex.Message, "value '.*?' at '", "value at '", System.Text.RegularExpressions.RegexOptions.None, TimeSpan.FromSeconds(1));
        }
    }

    private static bool HasListenAddress(IConfiguration configuration) =>
        !string.IsNullOrWhiteSpace(configuration[WebHostDefaults.ServerUrlsKey])
        || !string.IsNullOrWhiteSpace(configuration[WebHostDefaults.HttpPortsKey])
        || !string.IsNullOrWhiteSpace(configuration[WebHostDefaults.HttpsPortsKey])
        || configuration.GetSection("Kestrel:Endpoints").Exists();

    public static IServiceCollection AddKeystore(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<KeystoreOptions>()
            .Bind(configuration.GetSection(KeystoreOptions.Section))
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<KeystoreOptions>, KeystoreOptionsValidator>();

        services.AddSingleton(TimeProvider.System);
        services.AddHttpClient();
        services.AddSingleton<ITeeDetector, DeviceTeeDetector>();
        services.AddSingleton<KeystoreState>();
        services.AddSingleton<WorkerContext>();
        services.AddSingleton<NearConnection>();

        // Every TEE backend and master-secret source is registered; configuration picks one of each at boot.
        services.AddTeeBackend<SimulatorTeeBackend>(SimulatorTeeBackend.BackendName);
        services.AddTeeBackend<DstackTeeBackend>(DstackTeeBackend.BackendName);
        services.AddMasterSecretSource<CkdMasterSecretSource>(CkdMasterSecretSource.SourceName);
        services.AddMasterSecretSource<BackupMasterSecretSource>(BackupMasterSecretSource.SourceName);
        services.AddMasterSecretSource<DevMasterSecretSource>(DevMasterSecretSource.SourceName);
        services.AddHostedService<KeystoreBootService>();
        services.AddHostedService<WorkerRevocationMonitor>();
        services.AddSingleton<BindingRegistrar>();
        services.AddHostedService(sp => sp.GetRequiredService<BindingRegistrar>());

        // Each chain twice: its library signer (derivation paths, addresses, typed signing) and its HTTP request handler.
        services.AddSingleton<EthereumSigner>();
        services.AddSingleton(sp => new BitcoinSigner(sp.GetRequiredService<IOptions<KeystoreOptions>>().Value.Bitcoin.ParsedNetwork));
        services.AddSingleton<SolanaSigner>();
        services.AddSingleton<IChainSigner>(sp => sp.GetRequiredService<EthereumSigner>());
        services.AddSingleton<IChainSigner>(sp => sp.GetRequiredService<BitcoinSigner>());
        services.AddSingleton<IChainSigner>(sp => sp.GetRequiredService<SolanaSigner>());
        services.AddSingleton<IChainRequestHandler, EthereumRequestHandler>();
        services.AddSingleton<IChainRequestHandler, BitcoinRequestHandler>();
        services.AddSingleton<IChainRequestHandler, SolanaRequestHandler>();
        services.AddSingleton<ChainSignerRegistry>();
        services.AddSingleton<ChainRequestSigner>();
        services.AddSingleton<AccountFreeze>();
        services.AddSingleton(sp =>
        {
            KeyCacheOptions o = sp.GetRequiredService<IOptions<KeystoreOptions>>().Value.KeyCache;
            var cache = new DerivedKeyCache(o.Capacity, o.IdleTimeout, sp.GetRequiredService<TimeProvider>());
            sp.GetRequiredService<KeystoreState>().MasterSecretDropped += cache.Drop;
            return cache;
        });

        // Keystore:Auth:OwnerKeySource picks where owners' keys come from.
        services.AddSingleton<ConfiguredOwnerKeySource>();
        services.AddSingleton<NearOwnerKeySource>();
        services.AddSingleton<IOwnerKeySource>(sp =>
            sp.GetRequiredService<IOptions<KeystoreOptions>>().Value.Auth.ParsedOwnerKeySource == OwnerKeySourceKind.Near
                ? sp.GetRequiredService<NearOwnerKeySource>()
                : sp.GetRequiredService<ConfiguredOwnerKeySource>());
        services.AddSingleton<NonceReplayGuard>();
        services.AddSingleton<NearRequestAuthenticator>();
        services.AddKeyExport();
        services.AddKeystoreState();
        services.AddKeystoreAudit();
        services.AddKeystoreWebhooks();
        services.AddKeystoreApprovals();

        services.AddUnauthenticatedRateLimit();
        services.AddProblemDetails();
        // Problem bodies are written like every other answer (see ApiJsonContext.Api).
        services.ConfigureHttpJsonOptions(o => o.SerializerOptions.Encoder = ApiJsonContext.Api.Options.Encoder);
        services.AddKeystoreOpenApi();
        services.AddKeystoreMetrics();
        return services;
    }

    public static WebApplication MapKeystore(this WebApplication app)
    {
        app.UseKeystoreRequestMetrics();
        app.UseMiddleware<ProblemHandlingMiddleware>();
        // 404/405 from routing (and any other bare status) answer with the project's problem types.
        app.UseStatusCodePages(context => StatusCodeProblems.WriteAsync(context.HttpContext));
        app.UseRateLimiter();
        app.MapHealthEndpoints();
        app.MapAttestationEndpoints();
        app.MapKeyEndpoints();
        app.MapSignEndpoints();
        app.MapExportEndpoints();
        app.MapAgentEndpoints();
        app.MapAuditEndpoints();
        app.MapWebhookEndpoints();
        app.MapApprovalEndpoints();
        app.MapKeystoreOpenApi();
        app.MapKeystoreMetrics();
        return app;
    }
}
