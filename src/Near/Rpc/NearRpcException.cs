using System.Text.Json.Nodes;

namespace Keystore.Near.Rpc;

/// <summary>
/// A definite error answered by a NEAR RPC node (never retried). <see cref="Name"/>/<see cref="CauseName"/>
/// follow nearcore's structured errors (e.g. HANDLER_ERROR / UNKNOWN_ACCOUNT); <see cref="Data"/> is the raw error.
/// </summary>
public class NearRpcException(string message, string? name = null, string? causeName = null, JsonNode? data = null) : Exception(message)
{
    public string? Name { get; } = name;
    public string? CauseName { get; } = causeName;
    public JsonNode? ErrorData { get; } = data;
}
