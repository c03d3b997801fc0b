namespace Keystore.Policies.Decoding;

/// <summary>The EIP-712 domain of typed data, as its fields were given (contract in lower case).</summary>
public sealed record Eip712Domain(string? Name, string? Version, ulong? ChainId, string? VerifyingContract);
