using Keystore.Chains.Bitcoin;
using Keystore.Chains.Ethereum;
using Keystore.Chains.Solana;

namespace Keystore.Chains;

/// <summary>The chains this keystore signs for, and the path helpers they share.</summary>
public static class ChainSigners
{
    /// <summary>One signer per chain: ethereum, bitcoin (on <paramref name="network"/>), solana.</summary>
    public static IReadOnlyList<IChainSigner> Create(BitcoinNetwork network) =>
    [
        new EthereumSigner(),
        new BitcoinSigner(network),
        new SolanaSigner(),
    ];

    /// <summary>Address indices are non-hardened BIP32 indices: below 2^31.</summary>
    internal static uint CheckIndex(uint index) =>
        index < 0x8000_0000u ? index : throw new ArgumentOutOfRangeException(nameof(index), "An address index is below 2^31.");

    /// <summary>The hardened child number of <paramref name="index"/> (written <c>index'</c> in a path).</summary>
    internal static uint Hardened(uint index) => CheckIndex(index) | DerivationPath.HardenedOffset;
}
