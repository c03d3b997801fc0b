namespace Keystore.Agents;

/// <summary>
/// What the signing gate decides on: the account, the agent asking (active, authenticated), the account-wide policy,
/// the chain and the raw request body exactly as it will be signed, whether this is a dry run, and who approved it
/// (when a pending approval is being finished).
/// </summary>
public sealed record AgentSigningRequest(string Account, AgentRecord Agent, AccountPolicy AccountPolicy, string Chain, ReadOnlyMemory<byte> Body,
    bool DryRun, DateTimeOffset Now, IReadOnlySet<string>? ApprovedBy = null);
