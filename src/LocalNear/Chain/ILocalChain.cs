using Keystore.Near.Keys;
using Keystore.Near.Transactions;

namespace Keystore.LocalNear.Chain;

/// <summary>
/// The in-process NEAR chain: the contract between the execution engine (Runtime/) and the
/// JSON-RPC front end (Rpc/). Every member is thread-safe; the chain serialises state changes.
/// Query failures throw <see cref="ChainQueryException"/>; transactions rejected before
/// execution throw <see cref="InvalidTransactionException"/>; execution failures are outcomes.
/// </summary>
public interface ILocalChain
{
    string ChainId { get; }

    /// <summary>The latest block; a new block is produced for every step of receipt execution.</summary>
    BlockView LatestBlock { get; }

    BlockView? GetBlock(ulong height);

    BlockView? GetBlock(ReadOnlySpan<byte> hash);

    /// <summary>Gas price in yoctoNEAR per gas unit (NEAR's minimum, 100_000_000, by default).</summary>
    UInt128 GasPrice { get; }

    AccountView ViewAccount(string accountId);

    /// <summary>The key's current nonce and permission (Near's AccessKey record).</summary>
    AccessKey ViewAccessKey(string accountId, Ed25519PublicKey publicKey);

    IReadOnlyList<AccessKeyEntry> ViewAccessKeyList(string accountId);

    /// <summary>
    /// The wasm deployed on <paramref name="accountId"/> and its hash. Throws <see cref="ChainQueryException"/> with
    /// <see cref="QueryErrorKind.NoContractCode"/> when nothing is deployed (also for native contracts, which have no wasm)
    /// and <see cref="QueryErrorKind.UnknownAccount"/> when the account does not exist.
    /// </summary>
    ContractCodeView ViewCode(string accountId);

    /// <summary>Runs a view method on the latest state; state changes are not allowed (as on NEAR).</summary>
    ViewCallResult CallFunction(string accountId, string methodName, ReadOnlySpan<byte> args);

    /// <summary>Raw contract storage whose keys start with <paramref name="prefix"/>, ordered by key.</summary>
    IReadOnlyList<StateItem> ViewState(string accountId, ReadOnlySpan<byte> prefix);

    /// <summary>
    /// Validates (signature, nonce, key permission, balance), converts to a receipt and executes it
    /// and every receipt it spawns to completion, producing blocks as it goes.
    /// </summary>
    Task<FinalExecutionOutcome> SubmitAsync(SignedTransaction transaction, CancellationToken cancellationToken = default);

    /// <summary>A transaction seen by this chain, by its hash (sha256 of the borsh transaction).</summary>
    FinalExecutionOutcome? FindTransaction(ReadOnlySpan<byte> transactionHash);
}
