using System.Text.Json.Nodes;

namespace Keystore.Client;

/// <summary>
/// An agent key of the account: a NEAR ed25519 key that may sign under <see cref="Policy"/> until <see cref="ExpiresAt"/>.
/// <see cref="Active"/> is false once it expired; <see cref="Version"/> grows with every change.
/// </summary>
public sealed record AgentInfo(
    string PublicKey, string Name, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, DateTimeOffset ExpiresAt, bool Active, long Version, JsonObject Policy);
