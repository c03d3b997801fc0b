using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Keystore.LocalNear.Chain;
using Keystore.Near.Encoding;
using Keystore.Near.Transactions;

namespace Keystore.LocalNear.Rpc;

/// <summary>
/// NEAR's JSON views (<c>core/primitives/src/views.rs</c>): hashes base58, byte payloads base64, balances
/// decimal strings, gas and heights numbers, enums externally tagged with unit variants as bare strings.
/// </summary>
public static class NearJson
{
    /// <summary>32 zero bytes: the epoch id of the first epoch, the code hash of an account without contract.</summary>
    public static readonly string ZeroHash = Base58.Encode(new byte[32]);

    public static string Hash(ReadOnlySpan<byte> hash) => Base58.Encode(hash);

    /// <summary>An ed25519 signature as NEAR prints it.</summary>
    public static string Signature(ReadOnlySpan<byte> signature) => "ed25519:" + Base58.Encode(signature);

    /// <summary>RFC 3339 with nanoseconds, as nearcore prints <c>latest_block_time</c>.</summary>
    public static string Time(ulong unixNanos)
    {
        var seconds = DateTimeOffset.FromUnixTimeSeconds((long)(unixNanos / 1_000_000_000));
        return seconds.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture) + "." +
               (unixNanos % 1_000_000_000).ToString("D9", CultureInfo.InvariantCulture) + "Z";
    }

    /// <summary>A stable 32-byte value derived from a block (for header fields this chain has no real counterpart of).</summary>
    public static string Derived(string label, ReadOnlySpan<byte> blockHash)
    {
        Span<byte> input = stackalloc byte[label.Length + blockHash.Length];
        System.Text.Encoding.ASCII.GetBytes(label, input);
        blockHash.CopyTo(input[label.Length..]);
        return Base58.Encode(SHA256.HashData(input));
    }

    public static JsonNode Permission(AccessKeyPermission permission) => permission switch
    {
        FullAccessPermission => "FullAccess",
        FunctionCallPermission fc => new JsonObject
        {
            ["FunctionCall"] = new JsonObject
            {
                ["allowance"] = fc.Allowance?.ToString(),
                ["receiver_id"] = fc.ReceiverId,
                ["method_names"] = new JsonArray(fc.MethodNames.Select(m => (JsonNode?)m).ToArray()),
            },
        },
        _ => throw new NotSupportedException($"Unknown access key permission {permission.GetType().Name}."),
    };

    public static JsonObject AccessKey(AccessKey key) => new() { ["nonce"] = key.Nonce, ["permission"] = Permission(key.Permission) };

    public static JsonNode Action(NearAction action) => action switch
    {
        CreateAccountAction => "CreateAccount",
        DeployContractAction d => new JsonObject { ["DeployContract"] = new JsonObject { ["code"] = Convert.ToBase64String(d.Code) } },
        FunctionCallAction f => new JsonObject
        {
            ["FunctionCall"] = new JsonObject
            {
                ["method_name"] = f.MethodName,
                ["args"] = Convert.ToBase64String(f.Args),
                ["gas"] = f.Gas,
                ["deposit"] = f.Deposit.ToString(),
            },
        },
        TransferAction t => new JsonObject { ["Transfer"] = new JsonObject { ["deposit"] = t.Deposit.ToString() } },
        StakeAction s => new JsonObject { ["Stake"] = new JsonObject { ["stake"] = s.Stake.ToString(), ["public_key"] = s.PublicKey.ToString() } },
        AddKeyAction a => new JsonObject { ["AddKey"] = new JsonObject { ["public_key"] = a.PublicKey.ToString(), ["access_key"] = AccessKey(a.AccessKey) } },
        DeleteKeyAction d => new JsonObject { ["DeleteKey"] = new JsonObject { ["public_key"] = d.PublicKey.ToString() } },
        DeleteAccountAction d => new JsonObject { ["DeleteAccount"] = new JsonObject { ["beneficiary_id"] = d.BeneficiaryId } },
        _ => throw new NotSupportedException($"Unknown action {action.GetType().Name}."),
    };

    /// <summary><c>SignedTransactionView</c>.</summary>
    public static JsonObject Transaction(SignedTransaction signed)
    {
        var tx = signed.Transaction;
        return new JsonObject
        {
            ["signer_id"] = tx.SignerId,
            ["public_key"] = tx.PublicKey.ToString(),
            ["nonce"] = tx.Nonce,
            ["receiver_id"] = tx.ReceiverId,
            ["actions"] = new JsonArray(tx.Actions.Select(Action).ToArray()),
            ["priority_fee"] = 0,
            ["signature"] = Signature(signed.Signature),
            ["hash"] = signed.HashBase58,
        };
    }

    public static JsonNode ExecutionStatus(ExecutionStatus status) => status switch
    {
        ExecutionStatus.SuccessValue v => new JsonObject { ["SuccessValue"] = Convert.ToBase64String(v.Value) },
        ExecutionStatus.SuccessReceiptId r => new JsonObject { ["SuccessReceiptId"] = Hash(r.ReceiptId) },
        ExecutionStatus.Failure f => new JsonObject { ["Failure"] = NormalizeEnum(f.Error.DeepClone()) },
        _ => throw new NotSupportedException($"Unknown execution status {status.GetType().Name}."),
    };

    public static JsonNode FinalStatus(FinalExecutionStatus status) => status switch
    {
        FinalExecutionStatus.SuccessValue v => new JsonObject { ["SuccessValue"] = Convert.ToBase64String(v.Value) },
        FinalExecutionStatus.Failure f => new JsonObject { ["Failure"] = NormalizeEnum(f.Error.DeepClone()) },
        _ => throw new NotSupportedException($"Unknown final status {status.GetType().Name}."),
    };

    /// <summary><c>ExecutionOutcomeWithIdView</c>; this chain keeps no merkle proofs, so <c>proof</c> is empty.</summary>
    public static JsonObject Outcome(ExecutionOutcomeWithId o) => new()
    {
        ["proof"] = new JsonArray(),
        ["block_hash"] = Hash(o.BlockHash),
        ["id"] = Hash(o.Id),
        ["outcome"] = new JsonObject
        {
            ["logs"] = new JsonArray(o.Logs.Select(l => (JsonNode?)l).ToArray()),
            ["receipt_ids"] = new JsonArray(o.ReceiptIds.Select(r => (JsonNode?)Hash(r)).ToArray()),
            ["gas_burnt"] = o.GasBurnt,
            ["tokens_burnt"] = o.TokensBurnt.ToString(),
            ["executor_id"] = o.ExecutorId,
            ["status"] = ExecutionStatus(o.Status),
            ["metadata"] = new JsonObject { ["version"] = 1, ["gas_profile"] = null },
        },
    };

    /// <summary>
    /// <c>ReceiptView</c> of an action receipt: <c>{predecessor_id, receiver_id, receipt_id, receipt: {Action: {…}}, priority}</c>.
    /// </summary>
    public static JsonObject Receipt(ReceiptView r) => new()
    {
        ["predecessor_id"] = r.PredecessorId,
        ["receiver_id"] = r.ReceiverId,
        ["receipt_id"] = Hash(r.ReceiptId),
        ["receipt"] = new JsonObject
        {
            ["Action"] = new JsonObject
            {
                ["signer_id"] = r.SignerId,
                ["signer_public_key"] = r.SignerPublicKey.ToString(),
                ["gas_price"] = r.GasPrice.ToString(),
                ["output_data_receivers"] = new JsonArray(r.OutputDataReceivers.Select(d => (JsonNode?)new JsonObject
                {
                    ["data_id"] = Hash(d.DataId),
                    ["receiver_id"] = d.ReceiverId,
                }).ToArray()),
                ["input_data_ids"] = new JsonArray(r.InputDataIds.Select(id => (JsonNode?)Hash(id)).ToArray()),
                ["actions"] = new JsonArray(r.Actions.Select(Action).ToArray()),
                ["is_promise_yield"] = false,
            },
        },
        ["priority"] = 0,
    };

    /// <summary>The <c>send_tx</c>/<c>tx</c> result: <c>FinalExecutionOutcomeView</c> plus <c>final_execution_status</c>.</summary>
    public static JsonObject FinalOutcome(FinalExecutionOutcome outcome, string executionStatus = "FINAL") => new()
    {
        ["final_execution_status"] = executionStatus,
        ["status"] = FinalStatus(outcome.Status),
        ["transaction"] = Transaction(outcome.Transaction),
        ["transaction_outcome"] = Outcome(outcome.TransactionOutcome),
        ["receipts_outcome"] = new JsonArray(outcome.ReceiptsOutcome.Select(r => (JsonNode?)Outcome(r)).ToArray()),
    };

    /// <summary>
    /// serde writes a unit enum variant as a bare string (<c>"InvalidSignature"</c>), while the engine's error JSON may
    /// spell it <c>{"InvalidSignature":null}</c>; rewrites every such single-key null object to the string form.
    /// </summary>
    public static JsonNode? NormalizeEnum(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj when obj.Count == 1 && obj.First() is { Value: null } only:
                return JsonValue.Create(only.Key);
            case JsonObject obj:
                foreach (var key in obj.Select(p => p.Key).ToList())
                {
                    var child = obj[key];
                    obj[key] = null;
                    obj[key] = NormalizeEnum(child?.DeepClone());
                }
                return obj;
            case JsonArray array:
                for (int i = 0; i < array.Count; i++) array[i] = NormalizeEnum(array[i]?.DeepClone());
                return array;
            default:
                return node;
        }
    }
}
