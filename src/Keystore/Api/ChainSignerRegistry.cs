using Keystore.Api.ChainRequests;
using Keystore.Chains;
using Keystore.Problems;

namespace Keystore.Api;

/// <summary>The chains this keystore serves, by their URL name: each one's signer and its HTTP request handler.</summary>
public sealed class ChainSignerRegistry
{
    private readonly Dictionary<string, IChainSigner> _byName;
    private readonly Dictionary<string, IChainRequestHandler> _handlers;

    public ChainSignerRegistry(IEnumerable<IChainSigner> signers, IEnumerable<IChainRequestHandler> handlers)
    {
        _byName = signers.ToDictionary(s => s.Name, StringComparer.Ordinal);
        _handlers = handlers.ToDictionary(h => h.Chain, StringComparer.Ordinal);
        if (!_byName.Keys.Order().SequenceEqual(_handlers.Keys.Order()))
            throw new InvalidOperationException("Every chain needs exactly one signer and one request handler.");
    }

    /// <summary>The three chains with their request handlers, Bitcoin on <paramref name="network"/> (what the host registers).</summary>
    public static ChainSignerRegistry Create(Chains.Bitcoin.BitcoinNetwork network)
    {
        var ethereum = new Chains.Ethereum.EthereumSigner();
        var bitcoin = new Chains.Bitcoin.BitcoinSigner(network);
        var solana = new Chains.Solana.SolanaSigner();
        return new ChainSignerRegistry([ethereum, bitcoin, solana],
            [new EthereumRequestHandler(ethereum), new BitcoinRequestHandler(bitcoin), new SolanaRequestHandler(solana)]);
    }

    public IEnumerable<string> Names => _byName.Keys;

    public IChainSigner Get(string chain) =>
        _byName.TryGetValue(chain, out IChainSigner? signer) ? signer : throw Unknown(chain);

    /// <summary>The request handler of a chain <see cref="Get"/> already accepted.</summary>
    public IChainRequestHandler Handler(IChainSigner chain) => _handlers[chain.Name];

    private ProblemException Unknown(string chain) =>
        new(ProblemTypes.UnknownChain, $"Unknown chain '{Truncate(chain)}'; use one of: {string.Join(", ", _byName.Keys)}.");

    private static string Truncate(string s) => s.Length <= 40 ? s : s[..40] + "…";
}
