namespace Keystore.Agents;

/// <summary>
/// An agent key an owner registered: the agent's own ed25519 public key (its private key never reaches the keystore), a
/// name, an expiry and its policy document (JSON text, validated by <see cref="IPolicyDocumentValidator"/>).
/// <see cref="Version"/> grows on every change of the account's state, so an older copy of this row cannot be put back.
/// </summary>
public sealed record AgentRecord(string PublicKey, string Name, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, DateTimeOffset ExpiresAt, string Policy, long Version)
{
    public bool IsActiveAt(DateTimeOffset now) => ExpiresAt > now;
}
