using System.Text.Json.Nodes;
using Keystore.LocalNear.Genesis;
using Keystore.LocalNear.Hosting;
using Keystore.LocalNetwork.Bootstrap;
using Keystore.Near.Keys;
using Keystore.Near.Rpc;
using Microsoft.AspNetCore.Builder;

namespace Keystore.EndToEnd.Tests.Support;

/// <summary>
/// A local NEAR chain (real contract wasm on Wasmtime, the native MPC signer with real BLS math) on a
/// free port, bootstrapped like the README's run command: tee-dao and chain-keys deployed, the local
/// TDX simulator's root pinned and its measurements voted in by the council. Keystores started on it
/// boot for real: quote → register_worker_key → request_master_secret → ready.
/// </summary>
public sealed class LocalKeystoreNetwork : IAsyncDisposable
{
    public const string Dao = "dao.test.near";
    public const string ChainKeys = "chain-keys.test.near";
    public const string Root = "test.near";
    public const string Owner = "alice.test.near";
    public static readonly string[] Council = ["alice.test.near", "bob.test.near", "carol.test.near"];
    public const ulong Tgas = LocalChainHost.Tgas;

    private readonly LocalChainHost _chain;

    private LocalKeystoreNetwork(LocalChainHost chain) => _chain = chain;

    public string Directory => _chain.Directory;

    public LocalNearHost Host => _chain.Host;

    public Uri RpcUrl => _chain.Url;

    public NearRpcClient Rpc => _chain.Rpc;

    /// <summary>Where the chain wrote NEAR CLI credentials (<c>localnet/&lt;account&gt;.json</c>).</summary>
    public string CredentialsFile(string account) => _chain.CredentialsFile(account);

    public Ed25519KeyPair Key(string account) => _chain.Key(account);

    public TransactionSender Sender(string account) => _chain.Sender(account);

    /// <param name="configureChain">Changes to the chain's settings (e.g. MPC fault injection).</param>
    /// <param name="beforeBootstrap">Runs on the started chain before the contracts are deployed; may return another MPC account for the DAO.</param>
    public static async Task<LocalKeystoreNetwork> StartAsync(Action<LocalNearOptions>? configureChain = null,
        Func<LocalKeystoreNetwork, Task<string?>>? beforeBootstrap = null)
    {
        // Two RPC attempts: these tests need the chain's results, not its first answer.
        LocalChainHost chain = await LocalChainHost.StartAsync(configureChain, rpcAttempts: 2);
        try
        {
            var network = new LocalKeystoreNetwork(chain);
            string? mpc = beforeBootstrap is null ? null : await beforeBootstrap(network);
            var settings = new KeystoreNetworkSettings { WasmDirectory = RepoPaths.ContractsOut };
            if (mpc is not null) settings = settings with { MpcAccountId = mpc };
            await new KeystoreNetworkBootstrapper(network.Rpc, chain.Key, settings).RunAsync();
            return network;
        }
        catch
        {
            await chain.DisposeAsync();
            throw;
        }
    }

    /// <summary>Starts a keystore configured exactly as run.sh configures it, and waits until it is ready.</summary>
    public async Task<KeystoreNode> StartKeystoreAsync(IDictionary<string, string?>? overrides = null, bool waitUntilReady = true,
        Action<WebApplicationBuilder>? configure = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Keystore:Tee:Provider"] = "simulator",
            ["Keystore:MasterSecret:Source"] = "ckd",
            ["Keystore:Near:NetworkId"] = "localnet",
            ["Keystore:Near:RpcUrls:0"] = RpcUrl.ToString(),
            ["Keystore:Near:DaoContractId"] = Dao,
            ["Keystore:Near:RegistrarAccountId"] = Root,
            ["Keystore:Near:RegistrarCredentialsFile"] = CredentialsFile(Root),
            ["Keystore:Near:RequestTimeout"] = "00:02:00",
            ["Keystore:Auth:OwnerKeySource"] = "near",
            ["Keystore:Bitcoin:Network"] = "regtest",
        };
        foreach ((string k, string? v) in overrides ?? new Dictionary<string, string?>())
            settings[k] = v;
        KeystoreNode node = await KeystoreNode.StartAsync(settings, configure);
        if (waitUntilReady) await node.WaitUntilReadyAsync(TimeSpan.FromMinutes(3));
        return node;
    }

    public async Task<JsonNode?> ViewAsync(string contract, string method, JsonObject? args = null) =>
        await Rpc.CallFunctionJsonAsync(contract, method, (args ?? new JsonObject()).ToJsonString());

    public ValueTask DisposeAsync() => _chain.DisposeAsync();
}
