using Keystore.Chains;
using Keystore.Problems;

namespace Keystore.Api;

/// <summary>The chains this keystore serves, by their URL name.</summary>
public sealed class ChainSignerRegistry(IEnumerable<IChainSigner> signers)
{
    private readonly Dictionary<string, IChainSigner> _byName = signers.ToDictionary(s => s.Name, StringComparer.Ordinal);

    public IEnumerable<string> Names => _byName.Keys;

    public IChainSigner Get(string chain) =>
        _byName.TryGetValue(chain, out IChainSigner? signer)
            ? signer
            : throw new ProblemException(ProblemTypes.UnknownChain, $"Unknown chain '{Truncate(chain)}'; use one of: {string.Join(", ", _byName.Keys)}.");

    private static string Truncate(string s) => s.Length <= 40 ? s : s[..40] + "…";
}
