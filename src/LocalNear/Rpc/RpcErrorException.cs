using System.Text.Json.Nodes;

namespace Keystore.LocalNear.Rpc;

/// <summary>Aborts an RPC method with a nearcore-shaped <c>error</c> object (built by <see cref="RpcErrors"/>).</summary>
public sealed class RpcErrorException(JsonObject error)
    : Exception($"{error["name"]?.GetValue<string>()}/{error["cause"]?["name"]?.GetValue<string>()}: {error["data"]?.ToJsonString()}")
{
    public JsonObject Error { get; } = error;

    public string? CauseName => Error["cause"]?["name"]?.GetValue<string>();
}
