namespace Keystore.Chains;

/// <summary>What the world may know about a derived key.</summary>
/// <param name="PublicKey">NEAR notation: <c>secp256k1:&lt;base58 of 64-byte x‖y&gt;</c> or <c>ed25519:&lt;base58 of 32 bytes&gt;</c>.</param>
/// <param name="Address">The chain's own address format (EIP-55, bech32m P2TR, base58).</param>
public sealed record ChainAddress(string PublicKey, string Address);
