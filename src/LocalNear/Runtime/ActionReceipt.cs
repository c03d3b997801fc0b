using Keystore.Near.Keys;
using Keystore.Near.Transactions;

namespace Keystore.LocalNear.Runtime;

/// <summary>
/// nearcore's <c>ActionReceipt</c>: actions executed on <see cref="ReceiverId"/> once every input data id
/// has arrived. <see cref="OutputDataReceivers"/> grows when a callback is attached (promise_then) or when
/// the receipt is returned by another (promise_return forwards the caller's receivers to it).
/// </summary>
internal sealed class ActionReceipt
{
    public required byte[] Id { get; init; }
    public required string PredecessorId { get; init; }
    public required string ReceiverId { get; init; }
    public required string SignerId { get; init; }
    public required Ed25519PublicKey SignerPublicKey { get; init; }
    public List<NearAction> Actions { get; } = [];
    public List<byte[]> InputDataIds { get; init; } = [];
    public List<DataReceiver> OutputDataReceivers { get; } = [];

    /// <summary>
    /// Gas prepaid for the execution fees of this receipt's actions and of the data receipts it waits on
    /// (the sender paid them as used gas; they are burnt when this receipt runs).
    /// </summary>
    public ulong PrepaidExecutionFees =>
        GasSchedule.ReceiptFees(Actions).Execution + GasSchedule.DataReceiptCreationBase.Execution * (ulong)InputDataIds.Count;

    /// <summary>Gas attached to its function calls.</summary>
    public ulong PrepaidGas => Actions.OfType<FunctionCallAction>().Aggregate(0UL, (sum, f) => sum + f.Gas);

    public UInt128 TotalDeposit => Actions.Aggregate(UInt128.Zero, (sum, a) => sum + a switch
    {
        FunctionCallAction f => f.Deposit,
        TransferAction t => t.Deposit,
        _ => UInt128.Zero,
    });
}

/// <summary>Where a receipt's result goes: the data id a dependent receipt waits on.</summary>
internal sealed record DataReceiver(byte[] DataId, string ReceiverId);
