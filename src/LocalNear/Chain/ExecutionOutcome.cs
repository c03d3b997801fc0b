using System.Text.Json.Nodes;
using Keystore.Near.Keys;
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
    IReadOnlyList<ExecutionOutcomeWithId> ReceiptsOutcome)
{
    /// <summary>
    /// The action receipts behind <see cref="ReceiptsOutcome"/>, in the same order (one per outcome), as they were
    /// when they ran: what <c>EXPERIMENTAL_tx_status</c> lists as <c>receipts</c>.
    /// </summary>
    public IReadOnlyList<ReceiptView> Receipts { get; init; } = [];
}

/// <summary>Where a receipt's result goes: the data id a dependent receipt waits on, and that receipt's receiver.</summary>
public sealed record DataReceiverView(byte[] DataId, string ReceiverId);

/// <summary>One action receipt, as nearcore's <c>ReceiptView</c> with <c>ReceiptEnumView::Action</c>.</summary>
public sealed record ReceiptView(
    byte[] ReceiptId,
    string PredecessorId,
    string ReceiverId,
    string SignerId,
    Ed25519PublicKey SignerPublicKey,
    UInt128 GasPrice,
    IReadOnlyList<DataReceiverView> OutputDataReceivers,
    IReadOnlyList<byte[]> InputDataIds,
    IReadOnlyList<NearAction> Actions);
