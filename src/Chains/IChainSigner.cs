namespace Keystore.Chains;

/// <summary>
/// One blockchain: where its keys sit in the HD tree, how its addresses look, and how it signs.
/// The keystore derives the key; each chain's own type signs its typed operations (no JSON here: the API reads requests).
/// </summary>
public interface IChainSigner
{
    /// <summary>The name used in URLs: <c>ethereum</c>, <c>bitcoin</c>, <c>solana</c>.</summary>
    string Name { get; }

    KeyCurve Curve { get; }

    /// <summary>The derivation path for address index <paramref name="index"/>, e.g. <c>m/44'/60'/0'/0/0</c>.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="index"/> is 2^31 or more.</exception>
    DerivationPath DerivationPath(uint index);

    /// <summary>Public key in NEAR notation and the chain address for a public key of <see cref="Curve"/>.</summary>
    ChainAddress Describe(ReadOnlySpan<byte> publicKey);
}
