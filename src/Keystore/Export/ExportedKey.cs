using Keystore.Chains;

namespace Keystore.Export;

/// <summary>One chain private key an export asks for: the chain and the address index.</summary>
public sealed record ExportedKey(IChainSigner Chain, uint Index)
{
    /// <summary>How the key is named in responses and logs: <c>ethereum/0</c>. Not secret.</summary>
    public string Label => $"{Chain.Name}/{Index}";
}
