namespace Keystore.Near.Rpc;

/// <summary>InvalidTxError.InvalidNonce: the access key's nonce is already at <see cref="AccessKeyNonce"/>.</summary>
public sealed class InvalidNonceException(ulong transactionNonce, ulong accessKeyNonce)
    : NearRpcException($"Invalid nonce: transaction nonce {transactionNonce} ≤ access key nonce {accessKeyNonce}.", "HANDLER_ERROR", "INVALID_TRANSACTION")
{
    public ulong TransactionNonce { get; } = transactionNonce;
    public ulong AccessKeyNonce { get; } = accessKeyNonce;
}
