namespace Keystore.Client;

/// <summary>An account's key on a chain: its derivation path, NEAR-notation public key, address and chain-keys binding.</summary>
public sealed record KeyInfo(string Account, string Chain, uint Index, string Path, string PublicKey, string Address, KeyBinding Binding);
