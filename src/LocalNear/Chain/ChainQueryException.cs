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

public sealed class ChainQueryException(QueryErrorKind kind, string message) : Exception(message)
{
    public QueryErrorKind Kind { get; } = kind;
}
