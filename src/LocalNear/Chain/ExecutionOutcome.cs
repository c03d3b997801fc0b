using System.Text.Json.Nodes;
using Keystore.Near.Transactions;

namespace Keystore.LocalNear.Chain;

/// <summary>Status of one transaction or receipt, as NEAR's <c>ExecutionStatusView</c>.</summary>
public abstract record ExecutionStatus
{
    private ExecutionStatus() { }

    public sealed record SuccessValue(byte[] Value) : ExecutionStatus;

    public sealed record SuccessReceiptId(byte[] ReceiptId) : ExecutionStatus;

    /// <summary>
    /// <paramref name="Error"/> is NEAR-shaped JSON, e.g.
    /// <c>{"ActionError":{"index":0,"kind":{"FunctionCallError":{"ExecutionError":"Smart contract panicked: ..."}}}}</c>.
    /// </summary>
    public sealed record Failure(JsonObject Error) : ExecutionStatus;
}

public sealed record ExecutionOutcomeWithId(
    /// <summary>Transaction hash or receipt id.</summary>
    byte[] Id,
    byte[] BlockHash,
    string ExecutorId,
    IReadOnlyList<string> Logs,
    IReadOnlyList<byte[]> ReceiptIds,
    ulong GasBurnt,
    UInt128 TokensBurnt,
    ExecutionStatus Status);

/// <summary>Final status of a transaction, as NEAR's <c>FinalExecutionStatus</c>.</summary>
public abstract record FinalExecutionStatus
{
    private FinalExecutionStatus() { }

    public sealed record SuccessValue(byte[] Value) : FinalExecutionStatus;

    /// <summary>NEAR-shaped <c>TxExecutionError</c> JSON, e.g. <c>{"ActionError":{...}}</c>.</summary>
    public sealed record Failure(JsonObject Error) : FinalExecutionStatus;
}

public sealed record FinalExecutionOutcome(
    FinalExecutionStatus Status,
    SignedTransaction Transaction,
    ExecutionOutcomeWithId TransactionOutcome,
    IReadOnlyList<ExecutionOutcomeWithId> ReceiptsOutcome);
