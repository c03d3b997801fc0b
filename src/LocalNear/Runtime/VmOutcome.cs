using System.Text.Json.Nodes;

namespace Keystore.LocalNear.Runtime;

/// <summary>
/// The result of one contract call (wasm or native): its return value or returned receipt, the receipts it
/// created, logs, gas, and on failure NEAR's <c>FunctionCallError</c> JSON (then receipts are discarded).
/// </summary>
internal sealed record VmOutcome(
    byte[]? ReturnValue,
    ActionReceipt? ReturnedReceipt,
    IReadOnlyList<ActionReceipt> NewReceipts,
    IReadOnlyList<string> Logs,
    ulong GasBurnt,
    ulong GasUsed,
    ulong Instructions,
    JsonObject? Error);
