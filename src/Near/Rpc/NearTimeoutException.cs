namespace Keystore.Near.Rpc;

/// <summary>The node or the client timed out (TIMEOUT_ERROR, "Request has timed out.", or the per-request timeout); retried.</summary>
public sealed class NearTimeoutException(string message) : NearRpcException(message, "HANDLER_ERROR", "TIMEOUT_ERROR");
