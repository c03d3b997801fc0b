using System.Text.Json.Nodes;
using Keystore.LocalNear.Chain;

namespace Keystore.LocalNear.Rpc;

/// <summary>
/// nearcore's JSON-RPC error shapes (<c>chain/jsonrpc-primitives/src/errors.rs</c>): a structured
/// <c>name</c>/<c>cause {name, info}</c> pair that current clients (near-api-js 7) read, plus the legacy
/// <c>code</c>/<c>message</c>/<c>data</c> fields older clients (near-api-js 3 in near-cli 4) read.
/// </summary>
public static class RpcErrors
{
    public const int ServerErrorCode = -32_000;

    public static RpcErrorException MethodNotFound(string method) => new(new JsonObject
    {
        ["name"] = "REQUEST_VALIDATION_ERROR",
        ["cause"] = new JsonObject { ["name"] = "METHOD_NOT_FOUND", ["info"] = new JsonObject { ["method_name"] = method } },
        ["code"] = -32_601,
        ["message"] = "Method not found",
        ["data"] = method,
    });

    public static RpcErrorException ParseError(string message) => new(new JsonObject
    {
        ["name"] = "REQUEST_VALIDATION_ERROR",
        ["cause"] = new JsonObject { ["name"] = "PARSE_ERROR", ["info"] = new JsonObject { ["error_message"] = message } },
        ["code"] = -32_700,
        ["message"] = "Parse error",
        ["data"] = message,
    });

    public static RpcErrorException Internal(string message) => new(new JsonObject
    {
        ["name"] = "INTERNAL_ERROR",
        ["cause"] = new JsonObject { ["name"] = "INTERNAL_ERROR", ["info"] = new JsonObject { ["error_message"] = message } },
        ["code"] = ServerErrorCode,
        ["message"] = "Server error",
        ["data"] = message,
    });

    /// <summary>A method-specific failure: <c>HANDLER_ERROR</c> with <paramref name="cause"/>; <paramref name="data"/> is the legacy field.</summary>
    public static RpcErrorException Handler(string cause, JsonObject info, JsonNode data) => new(new JsonObject
    {
        ["name"] = "HANDLER_ERROR",
        ["cause"] = new JsonObject { ["name"] = cause, ["info"] = info },
        ["code"] = ServerErrorCode,
        ["message"] = "Server error",
        ["data"] = data,
    });

    /// <summary>
    /// A transaction rejected before execution. nearcore puts the <c>TxExecutionError</c> in <c>data</c> (near-api-js
    /// parses it from there); it is repeated in <c>cause.info</c> for clients that only read the structured part.
    /// </summary>
    public static RpcErrorException InvalidTransaction(InvalidTransactionException e)
    {
        var txError = new JsonObject { ["InvalidTxError"] = NearJson.NormalizeEnum(e.Error.DeepClone()) };
        return Handler("INVALID_TRANSACTION", new JsonObject { ["TxExecutionError"] = txError.DeepClone() }, new JsonObject { ["TxExecutionError"] = txError });
    }

    public static RpcErrorException UnknownTransaction(string hash) =>
        Handler("UNKNOWN_TRANSACTION", new JsonObject { ["requested_transaction_hash"] = hash }, $"Transaction {hash} doesn't exist");

    public static RpcErrorException UnknownBlock(JsonNode blockReference) =>
        Handler("UNKNOWN_BLOCK", new JsonObject { ["block_reference"] = blockReference.DeepClone() },
            $"DB Not Found Error: BLOCK: {blockReference.ToJsonString()}");

    public static RpcErrorException TimeoutError() =>
        Handler("TIMEOUT_ERROR", new JsonObject(), "Timeout");

    /// <summary>
    /// A failed <c>query</c>: <c>info</c> and the legacy <c>data</c> text as nearcore's <c>RpcQueryError</c>
    /// (<c>UNKNOWN_ACCOUNT</c> keeps the "does not exist while viewing" text clients match on).
    /// </summary>
    public static RpcErrorException Query(ChainQueryException e, string? accountId, string? publicKey, BlockView block)
    {
        string hash = NearJson.Hash(block.Hash);
        JsonObject At(JsonObject info)
        {
            info["block_height"] = block.Height;
            info["block_hash"] = hash;
            return info;
        }

        string account = accountId ?? "";
        return e.Kind switch
        {
            QueryErrorKind.UnknownAccount => Handler("UNKNOWN_ACCOUNT", At(new JsonObject { ["requested_account_id"] = account }),
                $"account {account} does not exist while viewing"),
            QueryErrorKind.InvalidAccount => Handler("INVALID_ACCOUNT", At(new JsonObject { ["requested_account_id"] = account }),
                $"Account ID {account} is invalid"),
            QueryErrorKind.UnknownAccessKey => Handler("UNKNOWN_ACCESS_KEY", At(new JsonObject { ["public_key"] = publicKey ?? "" }),
                $"access key {publicKey} does not exist while viewing"),
            QueryErrorKind.NoContractCode => Handler("NO_CONTRACT_CODE", At(new JsonObject { ["contract_account_id"] = account }),
                $"Contract code for contract ID #{account} has never been observed on the node"),
            QueryErrorKind.TooLargeContractState => Handler("TOO_LARGE_CONTRACT_STATE", At(new JsonObject { ["contract_account_id"] = account }),
                $"State of contract {account} is too large to be viewed"),
            QueryErrorKind.ContractExecutionError => Handler("CONTRACT_EXECUTION_ERROR",
                At(new JsonObject { ["vm_error"] = e.Message, ["error"] = FunctionCallError(e) }),
                $"Function call returned an error: {e.Message}"),
            QueryErrorKind.UnknownBlock => UnknownBlock(JsonValue.Create(e.Message)),
            _ => Internal(e.Message),
        };
    }

    /// <summary>
    /// The structured <c>FunctionCallError</c> nearcore adds next to the <c>vm_error</c> text (near-api-js 7 reads it):
    /// the engine's own error (<see cref="ChainQueryException.FunctionCallError"/>); only an exception without one
    /// falls back to the catch-all <c>ExecutionError</c> carrying the text.
    /// </summary>
    private static JsonNode? FunctionCallError(ChainQueryException e)
    {
        if (e.FunctionCallError is { } structured) return NearJson.NormalizeEnum(structured.DeepClone());
        // nearcore's vm_error text wraps the error as "wasm execution failed with error: <error>"; the structured form carries <error>.
        const string wrapper = "wasm execution failed with error: ";
        return new JsonObject { ["ExecutionError"] = e.Message.StartsWith(wrapper, StringComparison.Ordinal) ? e.Message[wrapper.Length..] : e.Message };
    }
}
