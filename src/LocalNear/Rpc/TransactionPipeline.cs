using Keystore.LocalNear.Chain;
using Keystore.Near.Transactions;
using Microsoft.Extensions.Logging;

namespace Keystore.LocalNear.Rpc;

/// <summary>
/// Hands signed transactions to the chain, one execution per transaction hash (a resubmitted transaction
/// joins the running one or gets the recorded outcome), runs <c>broadcast_tx_async</c> submissions in the
/// background where <c>tx</c> can wait for them, and logs every transaction.
/// </summary>
public sealed partial class TransactionPipeline(ILocalChain chain, ILogger<TransactionPipeline> logger)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, Task<FinalExecutionOutcome>> _inFlight = new(StringComparer.Ordinal);

    /// <summary>Executes <paramref name="transaction"/> to completion; throws <see cref="InvalidTransactionException"/> when rejected.</summary>
    public Task<FinalExecutionOutcome> SubmitAsync(SignedTransaction transaction, CancellationToken cancellationToken)
    {
        var hash = transaction.Transaction.Hash();
        if (chain.FindTransaction(hash) is { } done) return Task.FromResult(done);
        // The execution itself is not cancelled with the request: a client that stops waiting does not undo a transaction.
        return Start(transaction).WaitAsync(cancellationToken);
    }

    /// <summary>Starts executing and returns at once (<c>broadcast_tx_async</c>); a rejection is only logged.</summary>
    public string SubmitInBackground(SignedTransaction transaction)
    {
        if (chain.FindTransaction(transaction.Transaction.Hash()) is null) _ = Start(transaction);
        return transaction.HashBase58;
    }

    /// <summary>The execution of a transaction still running, if any.</summary>
    public Task<FinalExecutionOutcome>? Pending(string hashBase58)
    {
        lock (_gate) return _inFlight.TryGetValue(hashBase58, out var task) ? task : null;
    }

    private Task<FinalExecutionOutcome> Start(SignedTransaction transaction)
    {
        string hash = transaction.HashBase58;
        Task<FinalExecutionOutcome> task;
        lock (_gate)
        {
            // Under the lock so two concurrent submissions of one transaction share a single execution.
            if (_inFlight.TryGetValue(hash, out var running)) return running;
            task = Task.Run(() => ExecuteAsync(transaction, hash));
            _inFlight[hash] = task;
        }
        _ = task.ContinueWith(done =>
        {
            // A rejected broadcast_tx_async may have no waiter: observe its exception (already logged).
            _ = done.Exception;
            lock (_gate) _inFlight.Remove(hash);
        }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        return task;
    }

    private async Task<FinalExecutionOutcome> ExecuteAsync(SignedTransaction transaction, string hash)
    {
        var tx = transaction.Transaction;
        try
        {
            var outcome = await chain.SubmitAsync(transaction, CancellationToken.None).ConfigureAwait(false);
            ulong gas = outcome.TransactionOutcome.GasBurnt + outcome.ReceiptsOutcome.Aggregate(0UL, (sum, r) => sum + r.GasBurnt);
            string status = outcome.Status switch
            {
                FinalExecutionStatus.SuccessValue v => v.Value.Length == 0 ? "success" : "success: " + Preview(v.Value),
                FinalExecutionStatus.Failure f => "failure: " + f.Error.ToJsonString(),
                _ => "unknown",
            };
            LogExecuted(hash, tx.SignerId, tx.ReceiverId, Describe(tx.Actions), status, gas);
            return outcome;
        }
        catch (InvalidTransactionException e)
        {
            LogRejected(hash, tx.SignerId, tx.ReceiverId, e.Error.ToJsonString());
            throw;
        }
    }

    /// <summary>Method names for function calls, the action kind otherwise.</summary>
    private static string Describe(IReadOnlyList<NearAction> actions) => string.Join(", ", actions.Select(a => a switch
    {
        FunctionCallAction f => f.MethodName + "()",
        TransferAction t => $"Transfer {t.Deposit}",
        _ => a.GetType().Name.Replace("Action", "", StringComparison.Ordinal),
    }));

    private static string Preview(byte[] value)
    {
        string text = System.Text.Encoding.UTF8.GetString(value, 0, Math.Min(value.Length, 120));
        return value.Length > 120 ? text + "…" : text;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "tx {Hash} {Signer} -> {Receiver} [{Actions}] {Status}, gas burnt {GasBurnt}")]
    private partial void LogExecuted(string hash, string signer, string receiver, string actions, string status, ulong gasBurnt);

    [LoggerMessage(Level = LogLevel.Warning, Message = "tx {Hash} {Signer} -> {Receiver} rejected: {Error}")]
    private partial void LogRejected(string hash, string signer, string receiver, string error);
}
