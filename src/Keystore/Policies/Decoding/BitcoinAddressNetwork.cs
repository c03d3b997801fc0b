namespace Keystore.Policies.Decoding;

/// <summary>Which Bitcoin network's address encodings output scripts are shown in (<c>Keystore:Bitcoin:Network</c>).</summary>
public enum BitcoinAddressNetwork
{
    Mainnet,
    Testnet,
    Regtest,
}
