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
    private readonly Lazy<NearRpcClient> _rpc = new(() =>
    {
        NearOptions near = options.Value.Near;
        if (near.RpcUrls.Count == 0)
            throw new InvalidOperationException("Keystore:Near:RpcUrls is empty: this setting needs a NEAR RPC endpoint.");
        HttpClient client = http.CreateClient(nameof(NearConnection));
        // The endpoint is not trusted to answer in proportion: without a cap a 2 GB answer would be buffered whole.
        client.MaxResponseContentBufferSize = NearRpcClient.MaxResponseBytes;
        return new NearRpcClient(client, new NearRpcOptions
        {
            Endpoints = near.RpcUrls.Select(u => new Uri(u)).ToArray(),
            RequestTimeout = near.RequestTimeout,
        });
    });

    private TeeDaoClient? _dao;

    public NearRpcClient Rpc => _rpc.Value;

    /// <summary>The configured <c>tee-dao</c> contract over <see cref="Rpc"/>.</summary>
    public TeeDaoClient Dao => _dao ??= new TeeDaoClient(Rpc, DaoContractId);

    public NearOptions Options => options.Value.Near;

    /// <summary>The configured DAO contract (validated at startup when a setting needs it).</summary>
    public string DaoContractId => Options.DaoContractId
        ?? throw new InvalidOperationException("Keystore:Near:DaoContractId is not set.");
}
