using System.Text;
using Keystore.LocalNear.Chain;
using Keystore.LocalNear.Runtime;
using Keystore.Near.Keys;
using Keystore.Near.Transactions;

namespace Keystore.LocalNear.Tests.Runtime;

/// <summary>A <see cref="LocalChain"/> with funded accounts, each with its own full-access key, and signing helpers.</summary>
internal sealed class ChainHarness : IDisposable
{
    public static readonly UInt128 OneNear = UInt128.Parse("1000000000000000000000000");
    public const ulong Tgas = 1_000_000_000_000;

    private readonly Dictionary<string, Ed25519KeyPair> _keys = [];

    public LocalChain Chain { get; }

    public ChainHarness(IEnumerable<(string Id, byte[]? Code)> accounts, IReadOnlyDictionary<string, INativeContract>? natives = null, UInt128? balance = null,
        DateTimeOffset? genesisTime = null, Microsoft.Extensions.Logging.ILogger<LocalChain>? logger = null)
    {
        var genesis = new List<GenesisAccount>();
        foreach (var (id, code) in accounts)
        {
            var key = Ed25519KeyPair.Generate();
            _keys[id] = key;
            genesis.Add(new GenesisAccount(id, balance ?? OneNear * 100, [key.PublicKey], code));
        }
        Chain = new LocalChain(new LocalChainOptions
        {
            ChainId = "test",
            GenesisTime = genesisTime ?? new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero),
            Accounts = genesis,
            NativeContracts = natives ?? new Dictionary<string, INativeContract>(),
        }, logger);
    }

    public static ChainHarness WithContract(params string[] others) =>
        new([("contract.test", TestContract.Wasm), .. others.Select(o => (o, (byte[]?)null))]);

    public Ed25519KeyPair KeyOf(string accountId) => _keys[accountId];

    public SignedTransaction Sign(string signer, string receiver, IReadOnlyList<NearAction> actions, Ed25519KeyPair? key = null, ulong? nonce = null, byte[]? blockHash = null)
    {
        key ??= _keys[signer];
        ulong n = nonce ?? NextNonce(signer, key.PublicKey);
        return new Transaction(signer, key.PublicKey, n, receiver, blockHash ?? Chain.LatestBlock.Hash, actions).Sign(key);
    }

    private ulong NextNonce(string signer, Ed25519PublicKey key)
    {
        try { return Chain.ViewAccessKey(signer, key).Nonce + 1; }
        catch (ChainQueryException) { return 1; }
    }

    public Task<FinalExecutionOutcome> Send(string signer, string receiver, params NearAction[] actions) =>
        Chain.SubmitAsync(Sign(signer, receiver, actions));

    public Task<FinalExecutionOutcome> Call(string signer, string receiver, string method, string args = "", ulong gas = 100 * Tgas, UInt128 deposit = default) =>
        Send(signer, receiver, new FunctionCallAction(method, Encoding.UTF8.GetBytes(args), gas, deposit));

    public string View(string account, string method, string args = "") =>
        Encoding.UTF8.GetString(Chain.CallFunction(account, method, Encoding.UTF8.GetBytes(args)).Result);

    public void Dispose()
    {
        Chain.Dispose();
        foreach (var key in _keys.Values) key.Dispose();
    }
}
