using System.Text.Json.Serialization;

namespace Keystore.Agents;

/// <summary>The sealed contents of an account row: its policy and the version of each agent row it vouches for.</summary>
internal sealed record AccountRow(bool Frozen, string? Rules, DateTimeOffset? UpdatedAt, Dictionary<string, long> Agents);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(AccountRow))]
[JsonSerializable(typeof(AgentRecord))]
internal sealed partial class AgentStoreJson : JsonSerializerContext;
