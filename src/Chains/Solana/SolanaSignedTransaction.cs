namespace Keystore.Chains.Solana;

/// <summary>A transaction with this key's slot filled: the 64-byte ed25519 signature and the whole wire transaction.</summary>
public sealed record SolanaSignedTransaction(byte[] Signature, byte[] WireTransaction);
