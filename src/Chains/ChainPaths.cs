namespace Keystore.Chains;

/// <summary>The BIP32 path helpers the chains' <see cref="IChainSigner.DerivationPath"/> share.</summary>
internal static class ChainPaths
{
    /// <summary>Address indices are non-hardened BIP32 indices: below 2^31.</summary>
    internal static uint CheckIndex(uint index) =>
        index < 0x8000_0000u ? index : throw new ArgumentOutOfRangeException(nameof(index), "An address index is below 2^31.");

    /// <summary>The hardened child number of <paramref name="index"/> (written <c>index'</c> in a path).</summary>
    internal static uint Hardened(uint index) => CheckIndex(index) | DerivationPath.HardenedOffset;
}
