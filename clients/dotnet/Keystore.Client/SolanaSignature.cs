namespace Keystore.Client;

/// <summary>A base58 ed25519 signature, and for a wire transaction the transaction (base64) with this key's slot filled.</summary>
public sealed record SolanaSignature(string Signature, string? SignedTransaction);
