using System.Buffers.Binary;
using System.Diagnostics;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Keystore.LocalNear.Chain;
using Keystore.Near.Encoding;
using Keystore.Near.Keys;
using Keystore.Near.Transactions;
using Microsoft.Extensions.Logging;

namespace Keystore.LocalNear.Runtime;

/// <summary>
/// The in-process NEAR chain. One lock serialises transactions and views, so a view always sees the state
/// between two transactions. A transaction is validated, charged and turned into a receipt in one block;
/// then every round of ready receipts runs in a new block (breadth-first, as NEAR's one-block-per-hop
/// delivery) until none is left, so <see cref="SubmitAsync"/> returns the final outcome
/// (<c>broadcast_tx_commit</c> semantics).
/// </summary>
public sealed class LocalChain : ILocalChain, IDisposable
{
    /// <summary>Gas limit of a view call (nearcore's max_gas_burnt_view default).</summary>
    private const ulong ViewGas = 300_000_000_000_000;

    private readonly object _gate = new();
    private readonly LocalChainOptions _options;
    private readonly ILogger<LocalChain>? _logger;
    private readonly ChainState _state = new();
    private readonly WasmRuntime _wasm = new();
    private readonly ReceiptExecutor _executor;
    private readonly List<BlockView> _blocks = [];
    private readonly Dictionary<string, BlockView> _blocksByHash = new(StringComparer.Ordinal);
    private readonly Dictionary<string, FinalExecutionOutcome> _transactions = new(StringComparer.Ordinal);
    private long _lastBlockTicks;
    private bool _disposed;

    public LocalChain(LocalChainOptions options, ILogger<LocalChain>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _logger = logger;
        _executor = new ReceiptExecutor(_state, _wasm, options.NativeContracts, options.GasPrice, logger);
        foreach (var genesis in options.Accounts)
        {
            if (!AccountId.IsValid(genesis.AccountId)) throw new ArgumentException($"Invalid genesis account id '{genesis.AccountId}'.", nameof(options));
            if (_state.Get(genesis.AccountId) is not null) throw new ArgumentException($"Duplicate genesis account '{genesis.AccountId}'.", nameof(options));
            var account = _state.CreateAccount(genesis.AccountId);
            _state.SetAmount(account, genesis.Balance);
            foreach (var key in genesis.FullAccessKeys) _state.SetAccessKey(account, key, AccessKey.FullAccess());
            if (genesis.Code is { } code)
            {
                _state.SetCode(account, code);
                _wasm.Precompile(account.CodeHash, code);
            }
        }
        foreach (var native in options.NativeContracts.Keys)
            if (_state.Get(native) is null) throw new ArgumentException($"Native contract account '{native}' is not in genesis.", nameof(options));
        _state.Commit();

        ulong genesisTime = (ulong)Math.Max(0, (options.GenesisTime - DateTimeOffset.UnixEpoch).Ticks) * 100;
        Seal(new BlockContext(0, BlockHash(0, new byte[32], genesisTime), genesisTime), new byte[32], []);
    }

    public string ChainId => _options.ChainId;

    public UInt128 GasPrice => _options.GasPrice;

    public BlockView LatestBlock
    {
        get { lock (_gate) return _blocks[^1]; }
    }

    public BlockView? GetBlock(ulong height)
    {
        lock (_gate) return height < (ulong)_blocks.Count ? _blocks[(int)height] : null;
    }

    public BlockView? GetBlock(ReadOnlySpan<byte> hash)
    {
        string key = Convert.ToHexString(hash);
        lock (_gate) return _blocksByHash.GetValueOrDefault(key);
    }

    public AccountView ViewAccount(string accountId)
    {
        lock (_gate)
        {
            var account = RequireAccount(accountId);
            var block = _blocks[^1];
            return new AccountView(account.Amount, account.Locked, account.CodeHash.ToArray(), account.StorageUsage, block.Height, block.Hash);
        }
    }

    public AccessKey ViewAccessKey(string accountId, Ed25519PublicKey publicKey)
    {
        lock (_gate)
        {
            var account = RequireAccount(accountId);
            return account.AccessKeys.TryGetValue(publicKey, out var key) ? key
                : throw new ChainQueryException(QueryErrorKind.UnknownAccessKey, $"access key {publicKey} does not exist while viewing");
        }
    }

    public IReadOnlyList<AccessKeyEntry> ViewAccessKeyList(string accountId)
    {
        lock (_gate)
        {
            var account = RequireAccount(accountId);
            return account.AccessKeys.Select(k => new AccessKeyEntry(k.Key, k.Value)).OrderBy(e => e.PublicKey.ToString(), StringComparer.Ordinal).ToList();
        }
    }

    public IReadOnlyList<StateItem> ViewState(string accountId, ReadOnlySpan<byte> prefix)
    {
        var p = prefix.ToArray();
        lock (_gate)
        {
            var account = RequireAccount(accountId);
            return account.Storage.Where(kv => kv.Key.AsSpan().StartsWith(p)).Select(kv => new StateItem(kv.Key.ToArray(), kv.Value.ToArray())).ToList();
        }
    }

    public ContractCodeView ViewCode(string accountId)
    {
        lock (_gate)
        {
            var account = RequireAccount(accountId);
            var block = _blocks[^1];
            if (account.Code is not { } code)
                throw new ChainQueryException(QueryErrorKind.NoContractCode, $"Contract code for contract ID {accountId} has not been deployed");
            return new ContractCodeView(code.AsSpan().ToArray(), account.CodeHash.AsSpan().ToArray(), block.Height, block.Hash);
        }
    }

    public ViewCallResult CallFunction(string accountId, string methodName, ReadOnlySpan<byte> args)
    {
        var input = args.ToArray();
        lock (_gate)
        {
            var account = RequireAccount(accountId);
            var latest = _blocks[^1];
            if (account.Code is null && !_options.NativeContracts.ContainsKey(accountId))
                throw new ChainQueryException(QueryErrorKind.NoContractCode, $"Contract code for contract ID {accountId} has not been deployed",
                    new JsonObject { ["CompilationError"] = new JsonObject { ["CodeDoesNotExist"] = new JsonObject { ["account_id"] = accountId } } });
            // Views have no signer or predecessor; the host functions that would reveal them are prohibited.
            var receipt = new ActionReceipt
            {
                Id = SHA256.HashData([.. latest.Hash, .. "view"u8]),
                PredecessorId = accountId,
                ReceiverId = accountId,
                SignerId = accountId,
                SignerPublicKey = new Ed25519PublicKey(new byte[32]),
            };
            var block = new BlockContext(latest.Height, latest.Hash, latest.TimestampNanos);
            int checkpoint = _state.Checkpoint();
            try
            {
                var outcome = _executor.RunFunctionCall(receipt, account, new FunctionCallAction(methodName, input, ViewGas, 0), [], block, isView: true);
                if (outcome.Error is not null)
                    throw new ChainQueryException(QueryErrorKind.ContractExecutionError, "wasm execution failed with error: " + DescribeVmError(outcome.Error),
                        (JsonObject)outcome.Error.DeepClone());
                return new ViewCallResult(outcome.ReturnValue ?? [], outcome.Logs, latest.Height, latest.Hash);
            }
            finally
            {
                // Nothing can change in a view; undo defensively all the same.
                _state.Rollback(checkpoint);
                _state.Commit();
            }
        }
    }

    public Task<FinalExecutionOutcome> SubmitAsync(SignedTransaction transaction, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(transaction);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return Task.FromResult(Execute(transaction));
        }
    }

    public FinalExecutionOutcome? FindTransaction(ReadOnlySpan<byte> transactionHash)
    {
        string key = Convert.ToHexString(transactionHash);
        lock (_gate) return _transactions.GetValueOrDefault(key);
    }

    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed) return;
            _disposed = true;
            _wasm.Dispose();
        }
    }

    private FinalExecutionOutcome Execute(SignedTransaction signed)
    {
        var tx = signed.Transaction;
        var txHash = tx.Hash();
        // A resubmitted transaction (same hash) is answered with its outcome, as NEAR's RPC does.
        if (_transactions.TryGetValue(Convert.ToHexString(txHash), out var known)) return known;

        var verdict = TransactionValidator.Validate(signed, _state, h => _blocksByHash.GetValueOrDefault(Convert.ToHexString(h)), _blocks[^1], GasPrice);
        TransactionValidator.Charge(signed, verdict, _state);
        _state.Commit();

        var receipt = new ActionReceipt
        {
            Id = SHA256.HashData([.. txHash, .. "receipt"u8]),
            PredecessorId = tx.SignerId,
            ReceiverId = tx.ReceiverId,
            SignerId = tx.SignerId,
            SignerPublicKey = tx.PublicKey,
        };
        receipt.Actions.AddRange(tx.Actions);

        var txBlock = NextBlock();
        var txOutcome = new ExecutionOutcomeWithId(txHash, txBlock.Hash, tx.SignerId, [], [receipt.Id], verdict.SendGas, GasPrice * verdict.SendGas,
            new ExecutionStatus.SuccessReceiptId(receipt.Id));
        Seal(txBlock, _blocks[^1].Hash, [txHash]);

        var (outcomes, receipts) = RunReceipts(receipt);
        var final = new FinalExecutionOutcome(FinalStatus(receipt.Id, outcomes), signed, txOutcome, outcomes) { Receipts = receipts };
        _transactions[Convert.ToHexString(txHash)] = final;
        _logger?.LogInformation("tx {Hash} {Signer} → {Receiver}: {Status}, {Receipts} receipts, {Gas} gas burnt",
            Base58.Encode(txHash), tx.SignerId, tx.ReceiverId, final.Status is FinalExecutionStatus.SuccessValue ? "success" : "failure",
            outcomes.Count, txOutcome.GasBurnt + outcomes.Aggregate(0UL, (s, o) => s + o.GasBurnt));
        return final;
    }

    /// <summary>Executes receipts round by round: a receipt runs once every result it waits on has arrived.</summary>
    private (List<ExecutionOutcomeWithId> Outcomes, List<ReceiptView> Receipts) RunReceipts(ActionReceipt first)
    {
        var outcomes = new List<ExecutionOutcomeWithId>();
        var executed = new List<ActionReceipt>();
        var pending = new List<ActionReceipt> { first };
        var data = new Dictionary<string, PromiseResult>(StringComparer.Ordinal);
        while (pending.Count > 0)
        {
            var ready = pending.Where(r => r.InputDataIds.All(id => data.ContainsKey(Convert.ToHexString(id)))).ToList();
            if (ready.Count == 0)
            {
                _logger?.LogWarning("{Count} receipts wait on data that will never arrive; dropping them", pending.Count);
                break;
            }
            var block = NextBlock();
            foreach (var receipt in ready)
            {
                pending.Remove(receipt);
                var inputs = receipt.InputDataIds.Select(id => data[Convert.ToHexString(id)]).ToList();
                var result = _executor.Execute(receipt, inputs, block);
                outcomes.Add(result.Outcome);
                executed.Add(receipt);
                // A receipt that returned another one handed its receivers over; the others get its result now.
                if (result.Outcome.Status is not ExecutionStatus.SuccessReceiptId)
                    foreach (var receiver in receipt.OutputDataReceivers)
                        data[Convert.ToHexString(receiver.DataId)] = result.DataForDependents;
                pending.AddRange(result.NewReceipts);
            }
            Seal(block, _blocks[^1].Hash, ready.Select(r => r.Id).ToList());
        }
        // Viewed once everything ran: a returned receipt's output receivers are complete only after its caller finished.
        return (outcomes, executed.Select(View).ToList());
    }

    private ReceiptView View(ActionReceipt r) => new(r.Id, r.PredecessorId, r.ReceiverId, r.SignerId, r.SignerPublicKey, GasPrice,
        r.OutputDataReceivers.Select(d => new DataReceiverView(d.DataId, d.ReceiverId)).ToList(), r.InputDataIds.ToList(), r.Actions.ToList());

    /// <summary>
    /// nearcore's final status: the first failure among the receipts, else the value at the end of the chain
    /// of returned receipts that starts at the transaction's receipt.
    /// </summary>
    private static FinalExecutionStatus FinalStatus(byte[] firstReceipt, IReadOnlyList<ExecutionOutcomeWithId> outcomes)
    {
        foreach (var outcome in outcomes)
            if (outcome.Status is ExecutionStatus.Failure failure) return new FinalExecutionStatus.Failure(failure.Error);
        var byId = outcomes.ToDictionary(o => Convert.ToHexString(o.Id), StringComparer.Ordinal);
        var id = firstReceipt;
        for (int hops = 0; hops <= outcomes.Count; hops++)
        {
            if (!byId.TryGetValue(Convert.ToHexString(id), out var outcome)) break;
            switch (outcome.Status)
            {
                case ExecutionStatus.SuccessValue value: return new FinalExecutionStatus.SuccessValue(value.Value);
                case ExecutionStatus.SuccessReceiptId next: id = next.ReceiptId; break;
            }
        }
        // Only reachable if a returned receipt never ran (its inputs never arrived).
        return new FinalExecutionStatus.Failure(new JsonObject { ["ActionError"] = new JsonObject { ["index"] = 0, ["kind"] = "ReceiptNeverExecuted" } });
    }

    private AccountRecord RequireAccount(string accountId)
    {
        if (!AccountId.IsValid(accountId)) throw new ChainQueryException(QueryErrorKind.InvalidAccount, $"Account ID {accountId} is invalid");
        return _state.Get(accountId) ?? throw new ChainQueryException(QueryErrorKind.UnknownAccount, $"account {accountId} does not exist while viewing");
    }

    /// <summary>The next block's header: its timestamp advances by the block interval, or by the wall-clock time since the last block if longer.</summary>
    private BlockContext NextBlock()
    {
        var last = _blocks[^1];
        ulong elapsed = (ulong)Stopwatch.GetElapsedTime(_lastBlockTicks).Ticks * 100;
        ulong timestamp = last.TimestampNanos + Math.Max(_options.BlockIntervalNanos, elapsed);
        ulong height = last.Height + 1;
        return new BlockContext(height, BlockHash(height, last.Hash, timestamp), timestamp);
    }

    private void Seal(BlockContext block, byte[] prevHash, IReadOnlyList<byte[]> executedIds)
    {
        var view = new BlockView(block.Height, block.Hash, prevHash, block.TimestampNanos, GasPrice, executedIds);
        _blocks.Add(view);
        _blocksByHash[Convert.ToHexString(block.Hash)] = view;
        _lastBlockTicks = Stopwatch.GetTimestamp();
    }

    private byte[] BlockHash(ulong height, byte[] prevHash, ulong timestamp)
    {
        Span<byte> numbers = stackalloc byte[16];
        BinaryPrimitives.WriteUInt64LittleEndian(numbers, height);
        BinaryPrimitives.WriteUInt64LittleEndian(numbers[8..], timestamp);
        return SHA256.HashData([.. "localnear block"u8, .. System.Text.Encoding.UTF8.GetBytes(ChainId), .. numbers, .. prevHash]);
    }

    /// <summary>
    /// The VM error as nearcore's query error text shows it (Rust Debug style): an ExecutionError is its message,
    /// others render like <c>MethodResolveError(MethodNotFound)</c> or <c>CompilationError(CodeDoesNotExist { account_id: "x" })</c>.
    /// </summary>
    private static string DescribeVmError(JsonObject error) =>
        error["ExecutionError"]?.GetValue<string>() ?? Debug(error);

    private static string Debug(JsonNode? node) => node switch
    {
        // {"Variant": {"Inner": …}} is a tuple variant around an enum; {"Variant": {field: …}} a struct variant.
        JsonObject o when o.Count == 1 && o.First().Value is JsonObject inner =>
            inner.Count == 1 && char.IsUpper(inner.First().Key[0]) ? $"{o.First().Key}({Debug(inner)})" : $"{o.First().Key} {Struct(inner)}",
        JsonObject o when o.Count == 1 => $"{o.First().Key}({Debug(o.First().Value)})",
        JsonObject o => Struct(o),
        JsonValue v when v.TryGetValue<string>(out var text) => text,
        null => "",
        _ => node.ToJsonString(),
    };

    private static string Struct(JsonObject fields) =>
        "{ " + string.Join(", ", fields.Select(f => f.Value is JsonValue v && v.TryGetValue<string>(out var t) ? $"{f.Key}: \"{t}\"" : $"{f.Key}: {Debug(f.Value)}")) + " }";
}
