using System.Text.Json.Nodes;

namespace Keystore.LocalNear.Chain;

/// <summary>
/// A transaction rejected before execution. <see cref="Error"/> is NEAR-shaped <c>InvalidTxError</c>
/// JSON, e.g. <c>{"InvalidNonce":{"tx_nonce":5,"ak_nonce":7}}</c>,
/// <c>{"InvalidAccessKeyError":{"AccessKeyNotFound":{"account_id":"a.near","public_key":"ed25519:..."}}}</c>,
/// <c>{"InvalidSignature":null}</c>; the RPC layer wraps it in
/// <c>{"TxExecutionError":{"InvalidTxError":...}}</c>.
/// </summary>
public sealed class InvalidTransactionException(JsonObject error, string message) : Exception(message)
{
    public JsonObject Error { get; } = error;
}
