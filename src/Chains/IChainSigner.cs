using System.Text.Json;
using System.Text.Json.Nodes;

namespace Keystore.Chains;

/// <summary>
/// One blockchain: where its keys sit in the HD tree, how its addresses look, and how it signs.
/// The keystore derives the key; the signer only formats and signs.
/// </summary>
public interface IChainSigner
{
    /// <summary>The name used in URLs: <c>ethereum</c>, <c>bitcoin</c>, <c>solana</c>.</summary>
    string Name { get; }

    KeyCurve Curve { get; }

    /// <summary>The derivation path for address index <paramref name="index"/>, e.g. <c>m/44'/60'/0'/0/0</c>.</summary>
    string DerivationPath(uint index);

    /// <summary>Public key in NEAR notation and the chain address for a public key of <see cref="Curve"/>.</summary>
    ChainAddress Describe(ReadOnlySpan<byte> publicKey);

    /// <summary>
    /// Signs what <paramref name="request"/> asks for (the JSON body of <c>POST …/sign/{chain}</c>)
    /// with <paramref name="key"/>. Throws <see cref="ChainRequestException"/> on any bad input,
    /// before anything is signed.
    /// </summary>
    JsonObject Sign(SigningKey key, JsonElement request);
}
