using System.Text.Json.Nodes;

namespace Keystore.LocalNear.Chain;

/// <summary>Kinds of query failure, named as NEAR's RPC names them (cause.name).</summary>
public enum QueryErrorKind
{
    UnknownAccount,
    UnknownAccessKey,
    NoContractCode,
    ContractExecutionError,
    UnknownBlock,
    InvalidAccount,
    TooLargeContractState,
}

/// <summary>
/// A failed query. For <see cref="QueryErrorKind.ContractExecutionError"/> (and <see cref="QueryErrorKind.NoContractCode"/>
/// from a view call) <see cref="FunctionCallError"/> carries the structured error as nearcore serialises
/// <c>FunctionCallError</c>, e.g. <c>{"MethodResolveError":"MethodNotFound"}</c>,
/// <c>{"ExecutionError":"Smart contract panicked: …"}</c> or
/// <c>{"CompilationError":{"CodeDoesNotExist":{"account_id":"x.near"}}}</c>; null for other queries.
/// </summary>
public sealed class ChainQueryException(QueryErrorKind kind, string message, JsonObject? functionCallError = null) : Exception(message)
{
    public QueryErrorKind Kind { get; } = kind;

    /// <summary>NEAR's structured <c>FunctionCallError</c> of a failed view call, or null.</summary>
    public JsonObject? FunctionCallError { get; } = functionCallError;
}
