namespace Keystore.Policies.Decoding;

/// <summary>
/// A contract or program the request invokes: an EVM call (<paramref name="Address"/>, 4-byte
/// <paramref name="Selector"/>) or a Solana program (<paramref name="Selector"/> null).
/// <paramref name="Decoded"/> calls are ones whose effect the decoder read (ERC-20 transfer/approve, System and
/// SPL Token transfers); the others are only allowed by the rule's contracts/programs or <c>allowOpaque</c>.
/// </summary>
public sealed record ContractCall(string Address, string? Selector, bool Decoded);
