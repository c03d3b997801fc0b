using System.Text.Json.Nodes;

namespace Keystore.Near.Rpc;

/// <summary>
/// An error answered by a NEAR RPC node: <see cref="NearRpcClient"/> retries none but <see cref="NearTimeoutException"/>,
/// and most (an unknown account, a missing method or access key, invalid arguments) are definite. <see cref="Name"/>/<see cref="CauseName"/>
/// follow nearcore's structured errors (e.g. HANDLER_ERROR / UNKNOWN_ACCOUNT); <see cref="Data"/> is the raw error.
/// </summary>
public class NearRpcException(string message, string? name = null, string? causeName = null, JsonNode? data = null) : Exception(message)
{
    public string? Name { get; } = name;
    public string? CauseName { get; } = causeName;
    public JsonNode? ErrorData { get; } = data;
}
