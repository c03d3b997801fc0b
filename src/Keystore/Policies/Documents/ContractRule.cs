namespace Keystore.Policies.Documents;

/// <summary>An EVM contract an agent may call, and with which 4-byte selectors (<c>null</c>: any).</summary>
public sealed record ContractRule(string Address, IReadOnlySet<string>? Selectors);
