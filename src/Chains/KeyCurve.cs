namespace Keystore.Chains;

/// <summary>The elliptic curve a chain's keys live on.</summary>
public enum KeyCurve
{
    /// <summary>secp256k1 (Ethereum, Bitcoin). Public keys are 33-byte compressed SEC1.</summary>
    Secp256k1,

    /// <summary>ed25519 (Solana). Private keys are 32-byte seeds, public keys 32 bytes.</summary>
    Ed25519,
}
