namespace Keystore.Policies.Documents;

/// <summary>An EIP-712 domain an agent may sign typed data for: every field given must equal the request's.</summary>
public sealed record Eip712DomainRule(string? Name, string? Version, ulong? ChainId, string? VerifyingContract);
