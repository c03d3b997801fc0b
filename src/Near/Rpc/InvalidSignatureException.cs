namespace Keystore.Near.Rpc;

/// <summary>InvalidTxError.InvalidSignature.</summary>
public sealed class InvalidSignatureException() : NearRpcException("Invalid transaction signature.", "HANDLER_ERROR", "INVALID_TRANSACTION");
