namespace Keystore.Chains.Bitcoin;

/// <summary>The Bitcoin network a keystore serves: it picks the BIP86 coin type and the bech32m prefix.</summary>
public enum BitcoinNetwork
{
    /// <summary>coin type 0', addresses <c>bc1p…</c></summary>
    Mainnet,

    /// <summary>coin type 1', addresses <c>tb1p…</c> (testnet3/4, signet)</summary>
    Testnet,

    /// <summary>coin type 1', addresses <c>bcrt1p…</c></summary>
    Regtest,
}
