using System.Text.Json.Nodes;

namespace Keystore.Client;

/// <summary>The changes of <c>PUT …/agents/{key}</c>: what is null stays as it is (at least one must be set).</summary>
public sealed record AgentUpdate
{
    public string? Name { get; init; }

    public DateTimeOffset? ExpiresAt { get; init; }

    /// <summary>A whole agent policy document (<c>{"kind":"agent","version":1,"rules":[…]}</c>), replacing the old one.</summary>
    public JsonNode? Policy { get; init; }
}
