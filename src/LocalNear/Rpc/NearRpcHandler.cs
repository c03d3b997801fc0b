using System.Text.Json.Nodes;
using Keystore.LocalNear.Chain;
using Keystore.Near.Encoding;
using Keystore.Near.Keys;
using Keystore.Near.Transactions;
using Microsoft.Extensions.Logging;

namespace Keystore.LocalNear.Rpc;

/// <summary>
/// NEAR's JSON-RPC 2.0 methods over an <see cref="ILocalChain"/>: <c>status</c>, <c>block</c>, <c>query</c>,
/// <c>send_tx</c>, <c>broadcast_tx_commit</c>, <c>broadcast_tx_async</c>, <c>tx</c>, <c>EXPERIMENTAL_tx_status</c>,
/// <c>gas_price</c>, <c>health</c> and the subset of <c>EXPERIMENTAL_protocol_config</c> near-api-js reads, in both the
/// current named-parameter and the legacy positional forms. Errors follow nearcore (see <see cref="RpcErrors"/>).
/// </summary>
public sealed partial class NearRpcHandler(ILocalChain chain, TransactionPipeline transactions, LocalNodeInfo node, ILogger<NearRpcHandler> logger)
{
    /// <summary>How long <c>tx</c> waits for a transaction still executing before answering TIMEOUT_ERROR.</summary>
    public static readonly TimeSpan TxWaitTimeout = TimeSpan.FromSeconds(30);

    private BlockView? _genesis;

    /// <summary>Answers one JSON-RPC request document with a response document (never throws for bad input).</summary>
    public async Task<JsonObject> HandleAsync(JsonNode? request, CancellationToken cancellationToken)
    {
        JsonNode? id = request is JsonObject r ? r["id"]?.DeepClone() : null;
        try
        {
            if (request is not JsonObject req || req["method"] is not JsonValue m || !m.TryGetValue<string>(out var method))
                throw RpcErrors.ParseError("JSON RPC Request format was expected");
            var result = await DispatchAsync(method, req["params"], cancellationToken).ConfigureAwait(false);
            return new JsonObject { ["jsonrpc"] = "2.0", ["result"] = result, ["id"] = id };
        }
        catch (RpcErrorException e)
        {
            LogRpcError(e.CauseName ?? "?", e.Message);
            return new JsonObject { ["jsonrpc"] = "2.0", ["error"] = e.Error, ["id"] = id };
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception e)
        {
            LogUnexpected(e);
            return new JsonObject { ["jsonrpc"] = "2.0", ["error"] = RpcErrors.Internal(e.Message).Error, ["id"] = id };
        }
    }

    private async Task<JsonNode?> DispatchAsync(string method, JsonNode? parameters, CancellationToken ct) => method switch
    {
        "status" => Status(),
        "health" => null,
        "block" => Block(parameters),
        "gas_price" => GasPrice(parameters),
        "EXPERIMENTAL_protocol_config" => ProtocolConfig(parameters),
        "query" => Query(parameters),
        "send_tx" => await SendTxAsync(parameters, ct).ConfigureAwait(false),
        "broadcast_tx_commit" => await BroadcastCommitAsync(parameters, ct).ConfigureAwait(false),
        "broadcast_tx_async" => transactions.SubmitInBackground(DecodeTransaction(Positional(parameters, 0) ?? Named(parameters, "signed_tx_base64"))),
        "tx" => await TxStatusAsync(parameters, withReceipts: false, ct).ConfigureAwait(false),
        "EXPERIMENTAL_tx_status" => await TxStatusAsync(parameters, withReceipts: true, ct).ConfigureAwait(false),
        _ => throw RpcErrors.MethodNotFound(method),
    };

    // ---- status, block, gas_price ----

    public JsonObject Status()
    {
        var latest = chain.LatestBlock;
        var genesis = _genesis ??= BlockSelector.Genesis(chain);
        return new JsonObject
        {
            ["chain_id"] = chain.ChainId,
            ["genesis_hash"] = NearJson.Hash(genesis.Hash),
            ["latest_protocol_version"] = LocalNodeInfo.ProtocolVersion,
            ["protocol_version"] = LocalNodeInfo.ProtocolVersion,
            ["node_key"] = null,
            ["node_public_key"] = node.NodePublicKey.ToString(),
            ["rpc_addr"] = node.RpcAddress,
            ["sync_info"] = new JsonObject
            {
                ["latest_block_hash"] = NearJson.Hash(latest.Hash),
                ["latest_block_height"] = latest.Height,
                ["latest_state_root"] = NearJson.Derived("state", latest.Hash),
                ["latest_block_time"] = NearJson.Time(latest.TimestampNanos),
                ["syncing"] = false,
                ["earliest_block_hash"] = NearJson.Hash(genesis.Hash),
                ["earliest_block_height"] = genesis.Height,
                ["earliest_block_time"] = NearJson.Time(genesis.TimestampNanos),
                ["epoch_id"] = NearJson.ZeroHash,
                ["epoch_start_height"] = genesis.Height,
            },
            ["uptime_sec"] = (long)(DateTimeOffset.UtcNow - node.StartedAt).TotalSeconds,
            ["validator_account_id"] = node.ValidatorAccountId,
            ["validator_public_key"] = node.ValidatorPublicKey.ToString(),
            ["validators"] = new JsonArray(new JsonObject { ["account_id"] = node.ValidatorAccountId }),
            ["version"] = new JsonObject
            {
                ["version"] = LocalNodeInfo.Version + "-localnear",
                ["build"] = "localnear",
                ["commit"] = "localnear",
                ["rustc_version"] = "none (C# engine)",
            },
        };
    }

    private JsonObject Block(JsonNode? parameters)
    {
        var block = parameters switch
        {
            JsonObject o => BlockSelector.Resolve(chain, o),
            JsonArray { Count: 1 } a => BlockSelector.ById(chain, a[0]),    // legacy: [height | hash]
            null or JsonArray { Count: 0 } => chain.LatestBlock,
            _ => throw RpcErrors.ParseError("block expects {finality | block_id | sync_checkpoint} or [block_id]"),
        };
        return BlockJson(block);
    }

    /// <summary>
    /// <c>BlockView</c>. This chain has a single producer and no shards: <c>chunks</c> is empty, epoch ids are the
    /// first epoch's, every block is its own last final block, and roots are derived from the block hash.
    /// </summary>
    private JsonObject BlockJson(BlockView b)
    {
        bool isGenesis = chain.GetBlock(b.PrevHash) is null;
        var header = new JsonObject
        {
            ["height"] = b.Height,
            ["prev_height"] = isGenesis ? null : b.Height - 1,
            ["epoch_id"] = NearJson.ZeroHash,
            ["next_epoch_id"] = NearJson.ZeroHash,
            ["hash"] = NearJson.Hash(b.Hash),
            ["prev_hash"] = NearJson.Hash(b.PrevHash),
            ["prev_state_root"] = NearJson.Derived("state", b.PrevHash),
            ["block_body_hash"] = NearJson.Derived("body", b.Hash),
            ["chunk_receipts_root"] = NearJson.Derived("receipts", b.Hash),
            ["chunk_headers_root"] = NearJson.Derived("chunks", b.Hash),
            ["chunk_tx_root"] = NearJson.Derived("txs", b.Hash),
            ["outcome_root"] = NearJson.Derived("outcomes", b.Hash),
            ["chunks_included"] = 0,
            ["challenges_root"] = NearJson.ZeroHash,
            ["timestamp"] = b.TimestampNanos,
            ["timestamp_nanosec"] = b.TimestampNanos.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["random_value"] = NearJson.Derived("random", b.Hash),
            ["validator_proposals"] = new JsonArray(),
            ["chunk_mask"] = new JsonArray(),
            ["gas_price"] = b.GasPrice.ToString(),
            ["block_ordinal"] = b.Height,
            ["rent_paid"] = "0",
            ["validator_reward"] = "0",
            ["total_supply"] = node.TotalSupply.ToString(),
            ["challenges_result"] = new JsonArray(),
            ["last_final_block"] = NearJson.Hash(b.Hash),
            ["last_ds_final_block"] = NearJson.Hash(b.Hash),
            ["next_bp_hash"] = NearJson.Derived("producers", []),
            ["block_merkle_root"] = NearJson.Derived("merkle", b.Hash),
            ["epoch_sync_data_hash"] = null,
            ["approvals"] = new JsonArray(),
            ["signature"] = NearJson.Signature(new byte[64]),
            ["latest_protocol_version"] = LocalNodeInfo.ProtocolVersion,
        };
        return new JsonObject { ["author"] = node.ValidatorAccountId, ["header"] = header, ["chunks"] = new JsonArray() };
    }

    private JsonObject GasPrice(JsonNode? parameters)
    {
        // [null] / [height] / [hash] (legacy) or {"block_id": …}; the price is the block's.
        JsonNode? blockId = parameters switch
        {
            JsonArray a => a.Count > 0 ? a[0] : null,
            JsonObject o => o["block_id"],
            _ => null,
        };
        var block = BlockSelector.ById(chain, blockId);
        return new JsonObject { ["gas_price"] = block.GasPrice.ToString() };
    }

    /// <summary>
    /// The part of nearcore's protocol config this chain has real values for (near-api-js reads
    /// <c>runtime_config.storage_amount_per_byte</c> for balances); other nearcore fields are left out rather than invented.
    /// </summary>
    private JsonObject ProtocolConfig(JsonNode? parameters)
    {
        if (parameters is JsonObject o) BlockSelector.Resolve(chain, o);
        var genesis = _genesis ??= BlockSelector.Genesis(chain);
        return new JsonObject
        {
            ["protocol_version"] = LocalNodeInfo.ProtocolVersion,
            ["chain_id"] = chain.ChainId,
            ["genesis_time"] = NearJson.Time(genesis.TimestampNanos),
            ["genesis_height"] = genesis.Height,
            ["num_block_producer_seats"] = 1,
            ["protocol_treasury_account"] = node.ValidatorAccountId,
            ["min_gas_price"] = chain.GasPrice.ToString(),
            ["max_gas_price"] = chain.GasPrice.ToString(),
            ["minimum_stake_ratio"] = new JsonArray(1, 6250),
            ["runtime_config"] = new JsonObject { ["storage_amount_per_byte"] = LocalNodeInfo.StorageAmountPerByte.ToString() },
        };
    }

    // ---- query ----

    private JsonObject Query(JsonNode? parameters)
    {
        var request = parameters switch
        {
            JsonObject o => o,
            JsonArray a => LegacyQuery(a),
            _ => throw RpcErrors.ParseError("query expects an object with request_type"),
        };
        string requestType = RequiredString(request, "request_type");
        // Resolving validates the reference (UNKNOWN_BLOCK); the state read is always the latest one, the
        // engine keeps no history, and the result reports the block it was read at.
        BlockSelector.Resolve(chain, request);

        string accountId = RequiredString(request, "account_id");
        string? publicKey = requestType == "view_access_key" ? RequiredString(request, "public_key") : null;
        try
        {
            return requestType switch
            {
                "view_account" => ViewAccount(accountId),
                "view_access_key" => ViewAccessKey(accountId, publicKey!),
                "view_access_key_list" => ViewAccessKeyList(accountId),
                "call_function" => CallFunction(accountId, RequiredString(request, "method_name"), Base64(request, "args_base64")),
                "view_state" => ViewState(accountId, Base64(request, "prefix_base64")),
                "view_code" => ViewCode(accountId),
                _ => throw RpcErrors.ParseError($"unknown or unsupported request_type '{requestType}' " +
                    "(supported: view_account, view_access_key, view_access_key_list, call_function, view_state, view_code)"),
            };
        }
        catch (ChainQueryException e)
        {
            throw RpcErrors.Query(e, accountId, publicKey, chain.LatestBlock);
        }
    }

    /// <summary>The pre-structured form near-api-js still uses for paths: <c>["account/a.near", ""]</c>, <c>["call/c.near/method", base58 args]</c>…</summary>
    private static JsonObject LegacyQuery(JsonArray parameters)
    {
        string path = parameters.Count > 0 && parameters[0] is JsonValue p && p.TryGetValue<string>(out var s) ? s
            : throw RpcErrors.ParseError("legacy query expects [path, data]");
        string data = parameters.Count > 1 && parameters[1] is JsonValue d && d.TryGetValue<string>(out var t) ? t : "";
        string[] parts = path.Split('/');
        byte[] DataBytes() => data.Length == 0 ? [] : Base58.TryDecode(data, out var bytes) ? bytes : throw RpcErrors.ParseError("legacy query data must be base58");
        var request = new JsonObject { ["finality"] = "optimistic" };
        switch (parts)
        {
            case ["account", var account]:
                request["request_type"] = "view_account"; request["account_id"] = account; break;
            case ["access_key", var account]:
                request["request_type"] = "view_access_key_list"; request["account_id"] = account; break;
            case ["access_key", var account, var key]:
                request["request_type"] = "view_access_key"; request["account_id"] = account; request["public_key"] = key; break;
            case ["call", var account, var method]:
                request["request_type"] = "call_function"; request["account_id"] = account; request["method_name"] = method;
                request["args_base64"] = Convert.ToBase64String(DataBytes()); break;
            case ["code", var account]:
                request["request_type"] = "view_code"; request["account_id"] = account; break;
            case ["contract", var account]:
                request["request_type"] = "view_state"; request["account_id"] = account;
                request["prefix_base64"] = Convert.ToBase64String(DataBytes()); break;
            default:
                throw RpcErrors.ParseError($"unknown legacy query path '{path}'");
        }
        return request;
    }

    private JsonObject ViewAccount(string accountId)
    {
        var a = chain.ViewAccount(accountId);
        return new JsonObject
        {
            ["amount"] = a.Amount.ToString(),
            ["locked"] = a.Locked.ToString(),
            ["code_hash"] = NearJson.Hash(a.CodeHash),
            ["storage_usage"] = a.StorageUsage,
            ["storage_paid_at"] = 0,
            ["block_height"] = a.BlockHeight,
            ["block_hash"] = NearJson.Hash(a.BlockHash),
        };
    }

    private JsonObject ViewAccessKey(string accountId, string publicKeyText)
    {
        if (!Ed25519PublicKey.TryParse(publicKeyText, out var publicKey))
            throw RpcErrors.ParseError($"invalid public key '{publicKeyText}' (this chain supports ed25519 keys)");
        var at = chain.LatestBlock;
        var key = chain.ViewAccessKey(accountId, publicKey);
        var result = NearJson.AccessKey(key);
        result["block_height"] = at.Height;
        result["block_hash"] = NearJson.Hash(at.Hash);
        return result;
    }

    private JsonObject ViewAccessKeyList(string accountId)
    {
        var at = chain.LatestBlock;
        var keys = chain.ViewAccessKeyList(accountId);
        return new JsonObject
        {
            ["keys"] = new JsonArray(keys.Select(k => (JsonNode?)new JsonObject
            {
                ["public_key"] = k.PublicKey.ToString(),
                ["access_key"] = NearJson.AccessKey(k.AccessKey),
            }).ToArray()),
            ["block_height"] = at.Height,
            ["block_hash"] = NearJson.Hash(at.Hash),
        };
    }

    private JsonObject CallFunction(string accountId, string methodName, byte[] args)
    {
        var r = chain.CallFunction(accountId, methodName, args);
        return new JsonObject
        {
            // A byte array of numbers, as nearcore serialises CallResult.result.
            ["result"] = new JsonArray(r.Result.Select(b => (JsonNode?)JsonValue.Create(b)).ToArray()),
            ["logs"] = new JsonArray(r.Logs.Select(l => (JsonNode?)l).ToArray()),
            ["block_height"] = r.BlockHeight,
            ["block_hash"] = NearJson.Hash(r.BlockHash),
        };
    }

    /// <summary>nearcore's <c>ContractCodeView</c> (<c>code_base64</c>, <c>hash</c>) with the block it was read at.</summary>
    private JsonObject ViewCode(string accountId)
    {
        var c = chain.ViewCode(accountId);
        return new JsonObject
        {
            ["code_base64"] = Convert.ToBase64String(c.Code),
            ["hash"] = NearJson.Hash(c.Hash),
            ["block_height"] = c.BlockHeight,
            ["block_hash"] = NearJson.Hash(c.BlockHash),
        };
    }

    private JsonObject ViewState(string accountId, byte[] prefix)
    {
        var at = chain.LatestBlock;
        var items = chain.ViewState(accountId, prefix);
        return new JsonObject
        {
            ["values"] = new JsonArray(items.Select(i => (JsonNode?)new JsonObject
            {
                ["key"] = Convert.ToBase64String(i.Key),
                ["value"] = Convert.ToBase64String(i.Value),
            }).ToArray()),
            ["block_height"] = at.Height,
            ["block_hash"] = NearJson.Hash(at.Hash),
        };
    }

    // ---- transactions ----

    private async Task<JsonObject> SendTxAsync(JsonNode? parameters, CancellationToken ct)
    {
        if (parameters is not JsonObject o) throw RpcErrors.ParseError("send_tx expects {signed_tx_base64, wait_until}");
        var signed = DecodeTransaction(o["signed_tx_base64"]);
        ParseWaitUntil(o["wait_until"]);
        return NearJson.FinalOutcome(await ExecuteAsync(signed, ct).ConfigureAwait(false));
    }

    private async Task<JsonObject> BroadcastCommitAsync(JsonNode? parameters, CancellationToken ct)
    {
        var signed = DecodeTransaction(Positional(parameters, 0) ?? Named(parameters, "signed_tx_base64"));
        return NearJson.FinalOutcome(await ExecuteAsync(signed, ct).ConfigureAwait(false));
    }

    private async Task<FinalExecutionOutcome> ExecuteAsync(SignedTransaction signed, CancellationToken ct)
    {
        try
        {
            return await transactions.SubmitAsync(signed, ct).ConfigureAwait(false);
        }
        catch (InvalidTransactionException e)
        {
            throw RpcErrors.InvalidTransaction(e);
        }
    }

    private async Task<JsonObject> TxStatusAsync(JsonNode? parameters, bool withReceipts, CancellationToken ct)
    {
        // {tx_hash, sender_account_id, wait_until} | {signed_tx_base64, wait_until} | legacy [hash, sender].
        string hash;
        switch (parameters)
        {
            case JsonArray a when a.Count >= 1 && a[0] is JsonValue h && h.TryGetValue<string>(out var legacyHash):
                hash = legacyHash;
                break;
            case JsonObject o when o["tx_hash"] is JsonValue h && h.TryGetValue<string>(out var txHash):
                hash = txHash;
                ParseWaitUntil(o["wait_until"]);
                break;
            case JsonObject o when o["signed_tx_base64"] is not null:
                hash = DecodeTransaction(o["signed_tx_base64"]).HashBase58;
                ParseWaitUntil(o["wait_until"]);
                break;
            default:
                throw RpcErrors.ParseError("tx expects {tx_hash, sender_account_id} or [tx_hash, sender_account_id]");
        }
        if (!Base58.TryDecode(hash, out var hashBytes) || hashBytes.Length != 32)
            throw RpcErrors.ParseError($"invalid transaction hash '{hash}'");

        var outcome = chain.FindTransaction(hashBytes);
        if (outcome is null && transactions.Pending(hash) is { } running)
        {
            try
            {
                outcome = await running.WaitAsync(TxWaitTimeout, ct).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                throw RpcErrors.TimeoutError();
            }
            catch (InvalidTransactionException e)
            {
                throw RpcErrors.InvalidTransaction(e);
            }
        }
        if (outcome is null) throw RpcErrors.UnknownTransaction(hash);

        var result = NearJson.FinalOutcome(outcome);
        // EXPERIMENTAL_tx_status: every action receipt behind receipts_outcome, in the same order.
        if (withReceipts) result["receipts"] = new JsonArray(outcome.Receipts.Select(r => (JsonNode?)NearJson.Receipt(r)).ToArray());
        return result;
    }

    // ---- parameter helpers ----

    private static SignedTransaction DecodeTransaction(JsonNode? node)
    {
        if (node is not JsonValue v || !v.TryGetValue<string>(out var base64))
            throw RpcErrors.ParseError("expected a base64 borsh SignedTransaction");
        try
        {
            return SignedTransaction.FromBorsh(Convert.FromBase64String(base64));
        }
        catch (Exception e) when (e is FormatException or ArgumentException or InvalidOperationException or IndexOutOfRangeException)
        {
            throw RpcErrors.ParseError("Failed to decode transaction: " + e.Message);
        }
    }

    private static void ParseWaitUntil(JsonNode? node)
    {
        // Execution is synchronous here: every transaction is FINAL by the time it is answered, whatever was asked.
        if (node is null) return;
        string? level = node is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;
        if (level is not ("NONE" or "INCLUDED" or "EXECUTED_OPTIMISTIC" or "INCLUDED_FINAL" or "EXECUTED" or "FINAL"))
            throw RpcErrors.ParseError($"unknown wait_until {node.ToJsonString()}");
    }

    private static JsonNode? Positional(JsonNode? parameters, int index) =>
        parameters is JsonArray a && a.Count > index ? a[index] : null;

    private static JsonNode? Named(JsonNode? parameters, string name) => parameters is JsonObject o ? o[name] : null;

    private static string RequiredString(JsonObject o, string name) =>
        o[name] is JsonValue v && v.TryGetValue<string>(out var s) ? s : throw RpcErrors.ParseError($"missing field `{name}`");

    private static byte[] Base64(JsonObject o, string name)
    {
        string text = RequiredString(o, name);
        try { return Convert.FromBase64String(text); }
        catch (FormatException) { throw RpcErrors.ParseError($"`{name}` is not valid base64"); }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "RPC error {Cause}: {Detail}")]
    private partial void LogRpcError(string cause, string detail);

    [LoggerMessage(Level = LogLevel.Error, Message = "RPC request failed unexpectedly")]
    private partial void LogUnexpected(Exception exception);
}
