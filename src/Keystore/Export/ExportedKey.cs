using Keystore.Chains;

namespace Keystore.Export;

/// <summary>
/// One chain private key an export asks for: the key of an address index, or (Bitcoin only) the BIP86 account
/// extended private key <c>m/86'/c'/0'</c> that every index of the account derives from.
/// </summary>
public sealed record ExportedKey(IChainSigner Chain, uint Index, bool AccountXprv = false)
{
    /// <summary>How the key is named in responses and logs: <c>ethereum/0</c>, <c>bitcoin/xprv</c>. Not secret.</summary>
    public string Label => AccountXprv ? $"{Chain.Name}/xprv" : $"{Chain.Name}/{Index}";
}
