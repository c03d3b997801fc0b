using Keystore.Near.Encoding;
using Keystore.Near.Keys;
using Keystore.Near.Transactions;

namespace Keystore.Near.Rpc;

/// <summary>
/// Signs and sends transactions for one signer account and ed25519 access key, waiting for the final outcome.
/// InvalidNonce is handled by adopting the chain's ak_nonce and re-signing; a failed outcome throws
/// <see cref="TransactionFailedException"/> with the contract's panic message.
/// </summary>
public sealed class TransactionSender(NearRpcClient rpc, string signerAccountId, Ed25519KeyPair key, NonceManager? nonces = null)
{
    private readonly NonceManager _nonces = nonces ?? new NonceManager(rpc);
    public int MaxNonceRetries { get; init; } = 3;
    public TxExecutionStatus WaitUntil { get; init; } = TxExecutionStatus.Final;

    public string SignerAccountId => signerAccountId;
    public Ed25519PublicKey PublicKey => key.PublicKey;

    public Task<ExecutionOutcome> FunctionCallAsync(string receiverId, string methodName, string argsJson, ulong gas, UInt128 deposit, CancellationToken ct = default) =>
        SendAsync(receiverId, [FunctionCallAction.Json(methodName, argsJson, gas, deposit)], ct);

    public async Task<ExecutionOutcome> SendAsync(string receiverId, IReadOnlyList<NearAction> actions, CancellationToken ct = default)
    {
        for (int attempt = 0; ; attempt++)
        {
            ulong nonce = await _nonces.NextAsync(signerAccountId, key.PublicKey, ct).ConfigureAwait(false);
            var block = await rpc.GetFinalBlockAsync(ct).ConfigureAwait(false);
            var tx = new Transaction(signerAccountId, key.PublicKey, nonce, receiverId, Base58.Decode(block.Hash), actions).Sign(key);
            try
            {
                var outcome = await rpc.SendTransactionAsync(tx, WaitUntil, ct).ConfigureAwait(false);
                return outcome.EnsureSuccess();
            }
            catch (InvalidNonceException e) when (attempt < MaxNonceRetries)
            {
                _nonces.Resync(signerAccountId, key.PublicKey, e.AccessKeyNonce);
            }
        }
    }
}
