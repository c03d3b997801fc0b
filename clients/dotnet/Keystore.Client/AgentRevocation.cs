namespace Keystore.Client;

/// <summary>The answer of <c>DELETE …/agents/{key}</c>: the key signs nothing from now on; <see cref="AccountVersion"/> is the account's new version.</summary>
public sealed record AgentRevocation(string Account, string PublicKey, bool Revoked, long AccountVersion);
