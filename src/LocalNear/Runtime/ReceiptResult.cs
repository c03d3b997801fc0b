using Keystore.LocalNear.Chain;

namespace Keystore.LocalNear.Runtime;

/// <summary>An executed receipt: its outcome, the receipts it created, and what its dependents receive.</summary>
internal sealed record ReceiptResult(ExecutionOutcomeWithId Outcome, IReadOnlyList<ActionReceipt> NewReceipts, PromiseResult DataForDependents);
