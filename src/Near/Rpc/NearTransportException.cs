namespace Keystore.Near.Rpc;

/// <summary>Every endpoint and retry failed with transport errors, 5xx or timeouts; <see cref="Exception.InnerException"/> is the last one.</summary>
public sealed class NearTransportException(string message, Exception? inner) : Exception(message, inner);
