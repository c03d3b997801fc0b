using System.Text.Json.Nodes;

namespace Keystore.Client;

/// <summary>
/// The account-wide policy: <see cref="Frozen"/> stops every signature (owners' too) until lifted; <see cref="Rules"/>
/// is the account policy document (caps over all agents) or null.
/// </summary>
public sealed record AccountPolicyInfo(string Account, bool Frozen, JsonObject? Rules, long Version, DateTimeOffset? UpdatedAt);
