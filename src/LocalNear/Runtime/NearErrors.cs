using System.Text.Json.Nodes;
using Keystore.LocalNear.Chain;
using Keystore.Near.Keys;

namespace Keystore.LocalNear.Runtime;

/// <summary>
/// NEAR-shaped error JSON (nearcore <c>core/primitives/src/errors.rs</c>, serde's externally tagged enums):
/// <c>InvalidTxError</c> variants for rejected transactions and <c>ActionError</c> for failed receipts.
/// Balances are decimal strings, nonces and gas numbers, as nearcore serialises them.
/// </summary>
internal static class NearErrors
{
    // ---- InvalidTxError ----

    public static InvalidTransactionException InvalidTx(string variant, JsonNode? body, string message) =>
        new(new JsonObject { [variant] = body }, message);

    public static InvalidTransactionException InvalidAccessKey(JsonNode body, string message) =>
        InvalidTx("InvalidAccessKeyError", body, message);

    public static InvalidTransactionException InvalidSignature() => InvalidTx("InvalidSignature", null, "Transaction signature is invalid.");

    public static InvalidTransactionException Expired() => InvalidTx("Expired", null, "Transaction has expired (unknown or too old block hash).");

    public static InvalidTransactionException SignerDoesNotExist(string signer) =>
        InvalidTx("SignerDoesNotExist", new JsonObject { ["signer_id"] = signer }, $"Signer {signer} does not exist.");

    public static InvalidTransactionException InvalidSignerId(string signer) =>
        InvalidTx("InvalidSignerId", new JsonObject { ["signer_id"] = signer }, $"Invalid signer account id {signer}.");

    public static InvalidTransactionException InvalidReceiverId(string receiver) =>
        InvalidTx("InvalidReceiverId", new JsonObject { ["receiver_id"] = receiver }, $"Invalid receiver account id {receiver}.");

    public static InvalidTransactionException AccessKeyNotFound(string account, Ed25519PublicKey key) =>
        InvalidAccessKey(new JsonObject { ["AccessKeyNotFound"] = new JsonObject { ["account_id"] = account, ["public_key"] = key.ToString() } },
            $"Access key {key} does not exist on {account}.");

    public static InvalidTransactionException InvalidNonce(ulong txNonce, ulong akNonce) =>
        InvalidTx("InvalidNonce", new JsonObject { ["tx_nonce"] = txNonce, ["ak_nonce"] = akNonce },
            $"Transaction nonce {txNonce} must be larger than the access key nonce {akNonce}.");

    public static InvalidTransactionException NonceTooLarge(ulong txNonce, ulong upperBound) =>
        InvalidTx("NonceTooLarge", new JsonObject { ["tx_nonce"] = txNonce, ["upper_bound"] = upperBound },
            $"Transaction nonce {txNonce} must be smaller than the upper bound {upperBound}.");

    public static InvalidTransactionException NotEnoughBalance(string signer, UInt128 balance, UInt128 cost) =>
        InvalidTx("NotEnoughBalance", new JsonObject { ["signer_id"] = signer, ["balance"] = balance.ToString(), ["cost"] = cost.ToString() },
            $"Sender {signer} does not have enough balance {balance} for operation costing {cost}.");

    public static InvalidTransactionException LackBalanceForState(string signer, UInt128 amount) =>
        InvalidTx("LackBalanceForState", new JsonObject { ["signer_id"] = signer, ["amount"] = amount.ToString() },
            $"Failed to execute, because the account {signer} wouldn't have enough balance to cover storage, required to have {amount} yoctoNEAR more.");

    public static InvalidTransactionException NotEnoughAllowance(string account, Ed25519PublicKey key, UInt128 allowance, UInt128 cost) =>
        InvalidAccessKey(new JsonObject
        {
            ["NotEnoughAllowance"] = new JsonObject
            {
                ["account_id"] = account, ["public_key"] = key.ToString(), ["allowance"] = allowance.ToString(), ["cost"] = cost.ToString(),
            },
        }, $"Access key {key} of {account} does not have enough allowance {allowance} for a transaction costing {cost}.");

    public static InvalidTransactionException ReceiverMismatch(string txReceiver, string akReceiver) =>
        InvalidAccessKey(new JsonObject { ["ReceiverMismatch"] = new JsonObject { ["tx_receiver"] = txReceiver, ["ak_receiver"] = akReceiver } },
            $"Transaction receiver {txReceiver} doesn't match the access key receiver {akReceiver}.");

    public static InvalidTransactionException MethodNameMismatch(string method) =>
        InvalidAccessKey(new JsonObject { ["MethodNameMismatch"] = new JsonObject { ["method_name"] = method } },
            $"Transaction method name {method} isn't allowed by the access key.");

    public static InvalidTransactionException RequiresFullAccess() =>
        InvalidAccessKey(JsonValue.Create("RequiresFullAccess"), "Transaction requires a full access key (a function-call key allows exactly one FunctionCall action).");

    public static InvalidTransactionException DepositWithFunctionCall() =>
        InvalidAccessKey(JsonValue.Create("DepositWithFunctionCall"), "A function-call access key cannot attach a deposit.");

    public static InvalidTransactionException ActionsValidation(JsonNode body, string message) => InvalidTx("ActionsValidation", body, message);

    // ---- ActionError ----

    /// <summary><c>{"ActionError":{"index":N,"kind":{…}}}</c>; index null for checks after all actions (storage staking).</summary>
    public static JsonObject ActionError(int? index, JsonNode kind) =>
        new() { ["ActionError"] = new JsonObject { ["index"] = index, ["kind"] = kind } };

    public static JsonObject FunctionCallError(int index, JsonObject error) => ActionError(index, new JsonObject { ["FunctionCallError"] = error });

    public static JsonObject Kind(string variant, params (string Key, JsonNode? Value)[] fields)
    {
        var body = new JsonObject();
        foreach (var (key, value) in fields) body[key] = value;
        return new JsonObject { [variant] = body };
    }
}
