namespace Keystore.Near.Keys;

/// <summary>NEAR's borsh tag for a key / signature curve.</summary>
public enum KeyType : byte
{
    Ed25519 = 0,
    Secp256k1 = 1,
}
