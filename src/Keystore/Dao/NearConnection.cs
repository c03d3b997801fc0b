using Keystore.Configuration;
using Keystore.Near.Rpc;
using Microsoft.Extensions.Options;

namespace Keystore.Dao;

/// <summary>
/// The keystore's one NEAR JSON-RPC client, built from <c>Keystore:Near</c> on first use so that a
/// keystore without NEAR settings (dev or backup secret, configured owners) never needs them.
/// </summary>
public sealed class NearConnection(IOptions<KeystoreOptions> options, IHttpClientFactory http)
{
    // Built on first use (a race may build one twice; one is kept, and either is as good).
    private HttpClient? _client;
    private NearRpcClient? _rpc;
    private NearRpcClient[]? _eachEndpoint;

    public NearRpcClient Rpc => LazyInitializer.EnsureInitialized(ref _rpc, () => new NearRpcClient(Client, new NearRpcOptions
    {
        Endpoints = Options.RpcUrls.Select(u => new Uri(u)).ToArray(),
        RequestTimeout = Options.RequestTimeout,
    }));

    /// <summary>
    /// One client for each endpoint, without failover, for answers that are cross-checked between endpoints rather than
    /// taken from whichever answers first. One retry each, on the same endpoint.
    /// </summary>
    public IReadOnlyList<NearRpcClient> EachEndpoint => LazyInitializer.EnsureInitialized(ref _eachEndpoint, () =>
        Options.RpcUrls.Select(u => new NearRpcClient(Client, new NearRpcOptions
        {
            Endpoints = [new Uri(u)],
            RequestTimeout = Options.RequestTimeout,
            MaxAttempts = 2,
        })).ToArray());

    private HttpClient Client => LazyInitializer.EnsureInitialized(ref _client, () =>
    {
        if (Options.RpcUrls.Count == 0)
            throw new InvalidOperationException("Keystore:Near:RpcUrls is empty: this setting needs a NEAR RPC endpoint.");
        HttpClient client = http.CreateClient(nameof(NearConnection));
        // The endpoint is not trusted to answer in proportion: without a cap a 2 GB answer would be buffered whole.
        client.MaxResponseContentBufferSize = NearRpcClient.MaxResponseBytes;
        return client;
    });

    private TeeDaoClient? _dao;

    /// <summary>The configured <c>tee-dao</c> contract over <see cref="Rpc"/>.</summary>
    public TeeDaoClient Dao => _dao ??= new TeeDaoClient(Rpc, DaoContractId);

    public NearOptions Options => options.Value.Near;

    /// <summary>The configured DAO contract (validated at startup when a setting needs it).</summary>
    public string DaoContractId => Options.DaoContractId
        ?? throw new InvalidOperationException("Keystore:Near:DaoContractId is not set.");
}
