using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Keystore.Near.Encoding;
using Keystore.Near.Keys;
using Keystore.Near.Transactions;

namespace Keystore.Near.Rpc;

/// <summary>
/// NEAR JSON-RPC client. Transport errors, HTTP 5xx/408/429 and node timeouts are retried with exponential
/// backoff and full jitter, rotating through the configured endpoints; any definite answer (including a
/// failed transaction) is returned or thrown at once, never retried.
/// </summary>
public sealed class NearRpcClient
{
    private readonly HttpClient _http;
    private readonly NearRpcOptions _options;
    private int _preferredEndpoint;

    public NearRpcClient(HttpClient http, NearRpcOptions options)
    {
        if (options.Endpoints.Count == 0) throw new ArgumentException("At least one RPC endpoint is required.", nameof(options));
        _http = http;
        _options = options;
    }

    // ---- query ----

    public async Task<AccountView> ViewAccountAsync(string accountId, CancellationToken ct = default)
    {
        var r = await QueryAsync(new JsonObject { ["request_type"] = "view_account", ["finality"] = "final", ["account_id"] = accountId }, accountId, null, ct).ConfigureAwait(false);
        return Read("view_account", () => new AccountView(UInt128.Parse(r["amount"]!.GetValue<string>()), UInt128.Parse(r["locked"]!.GetValue<string>()),
            r["code_hash"]!.GetValue<string>(), r["storage_usage"]!.GetValue<ulong>(), r["block_height"]!.GetValue<ulong>(), r["block_hash"]!.GetValue<string>()));
    }

    public async Task<AccessKeyView> ViewAccessKeyAsync(string accountId, Ed25519PublicKey publicKey, CancellationToken ct = default)
    {
        var r = await QueryAsync(new JsonObject
        {
            ["request_type"] = "view_access_key", ["finality"] = "final", ["account_id"] = accountId, ["public_key"] = publicKey.ToString(),
        }, accountId, publicKey.ToString(), ct).ConfigureAwait(false);
        return Read("view_access_key", () => new AccessKeyView(publicKey.ToString(), r["nonce"]!.GetValue<ulong>(), ParsePermission(r["permission"])));
    }

    public async Task<IReadOnlyList<AccessKeyView>> ViewAccessKeyListAsync(string accountId, CancellationToken ct = default)
    {
        var r = await QueryAsync(new JsonObject { ["request_type"] = "view_access_key_list", ["finality"] = "final", ["account_id"] = accountId }, accountId, null, ct).ConfigureAwait(false);
        return Read("view_access_key_list", () => r["keys"]!.AsArray().Select(k => new AccessKeyView(
            k!["public_key"]!.GetValue<string>(), k["access_key"]!["nonce"]!.GetValue<ulong>(), ParsePermission(k["access_key"]!["permission"]))).ToList());
    }

    /// <summary>Calls a view method; returns the raw result bytes (contracts usually return JSON).</summary>
    public async Task<byte[]> CallFunctionAsync(string contractId, string methodName, string argsJson, CancellationToken ct = default) =>
        (await ViewFunctionAsync(contractId, methodName, argsJson, ct).ConfigureAwait(false)).Result;

    /// <summary>Calls a view method at the latest final block; returns its result with the block it was read at.</summary>
    public async Task<FunctionView> ViewFunctionAsync(string contractId, string methodName, string argsJson, CancellationToken ct = default)
    {
        var r = await QueryAsync(new JsonObject
        {
            ["request_type"] = "call_function", ["finality"] = "final", ["account_id"] = contractId, ["method_name"] = methodName,
            ["args_base64"] = Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(argsJson)),
        }, contractId, null, ct).ConfigureAwait(false);
        return Read("call_function", () =>
        {
            // Older nodes report contract errors inside a successful result.
            if (r["error"] is JsonValue err) throw new NearRpcException("View call failed: " + err.GetValue<string>(), "HANDLER_ERROR", "CONTRACT_EXECUTION_ERROR", r.DeepClone());
            byte[] result = r["result"]!.AsArray().Select(b => checked((byte)b!.GetValue<int>())).ToArray();
            return new FunctionView(result, r["block_height"]?.GetValue<ulong>() ?? 0, r["block_hash"]?.GetValue<string>() ?? "");
        });
    }

    public async Task<JsonNode?> CallFunctionJsonAsync(string contractId, string methodName, string argsJson, CancellationToken ct = default)
    {
        var bytes = await CallFunctionAsync(contractId, methodName, argsJson, ct).ConfigureAwait(false);
        return bytes.Length == 0 ? null : Read($"{contractId}.{methodName}", () => JsonNode.Parse(bytes));
    }

    // ---- blocks and transactions ----

    public async Task<BlockInfo> GetFinalBlockAsync(CancellationToken ct = default)
    {
        var r = await CallAsync("block", new JsonObject { ["finality"] = "final" }, ct).ConfigureAwait(false);
        return Read("block", () =>
        {
            var header = r["header"]!;
            ulong nanos = ulong.Parse(header["timestamp_nanosec"]?.GetValue<string>() ?? "0", System.Globalization.CultureInfo.InvariantCulture);
            return new BlockInfo(header["hash"]!.GetValue<string>(), header["height"]!.GetValue<ulong>(),
                DateTimeOffset.FromUnixTimeMilliseconds((long)(nanos / 1_000_000)));
        });
    }

    public async Task<ExecutionOutcome> SendTransactionAsync(SignedTransaction tx, TxExecutionStatus waitUntil = TxExecutionStatus.Final, CancellationToken ct = default)
    {
        var r = await CallAsync("send_tx", new JsonObject { ["signed_tx_base64"] = tx.ToBase64(), ["wait_until"] = waitUntil.ToWire() }, ct, tx.Transaction.Nonce).ConfigureAwait(false);
        var outcome = Read("send_tx", () => ExecutionOutcome.Parse(r));
        return outcome.TransactionHash.Length > 0 ? outcome : outcome with { TransactionHash = tx.HashBase58 };
    }

    /// <summary>The legacy method: waits for execution; params is a one-element array of base64.</summary>
    public async Task<ExecutionOutcome> BroadcastTxCommitAsync(SignedTransaction tx, CancellationToken ct = default)
    {
        var r = await CallAsync("broadcast_tx_commit", new JsonArray(tx.ToBase64()), ct, tx.Transaction.Nonce).ConfigureAwait(false);
        return Read("broadcast_tx_commit", () => ExecutionOutcome.Parse(r));
    }

    public async Task<ExecutionOutcome> TransactionStatusAsync(string txHash, string senderAccountId, TxExecutionStatus waitUntil = TxExecutionStatus.Final, CancellationToken ct = default)
    {
        var r = await CallAsync("tx", new JsonObject { ["tx_hash"] = txHash, ["sender_account_id"] = senderAccountId, ["wait_until"] = waitUntil.ToWire() }, ct).ConfigureAwait(false);
        return Read("tx", () => ExecutionOutcome.Parse(r));
    }

    // ---- core ----

    private Task<JsonNode> QueryAsync(JsonObject parameters, string accountId, string? publicKey, CancellationToken ct) =>
        CallAsync("query", parameters, ct, null, accountId, publicKey);

    /// <summary>Sends one JSON-RPC call with retries and failover; returns its <c>result</c> or throws a typed error.</summary>
    public async Task<JsonNode> CallAsync(string method, JsonNode parameters, CancellationToken ct, ulong? txNonce = null, string? accountId = null, string? publicKey = null)
    {
        var body = new JsonObject { ["jsonrpc"] = "2.0", ["id"] = "dontcare", ["method"] = method, ["params"] = parameters.DeepClone() }.ToJsonString();
        Exception? last = null;
        int start = Volatile.Read(ref _preferredEndpoint);
        for (int attempt = 0; attempt < _options.MaxAttempts; attempt++)
        {
            int index = (start + attempt) % _options.Endpoints.Count;
            var endpoint = _options.Endpoints[index];
            if (attempt > 0) await Task.Delay(Backoff(attempt), ct).ConfigureAwait(false);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(_options.RequestTimeout);
            try
            {
                using var content = new StringContent(body, System.Text.Encoding.UTF8);
                content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
                using var response = await _http.PostAsync(endpoint, content, timeout.Token).ConfigureAwait(false);
                if ((int)response.StatusCode >= 500 || response.StatusCode is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests)
                {
                    last = new HttpRequestException($"{endpoint.Host}: HTTP {(int)response.StatusCode}", null, response.StatusCode);
                    continue;
                }
                var text = await response.Content.ReadAsStringAsync(timeout.Token).ConfigureAwait(false);
                JsonNode? node;
                try { node = JsonNode.Parse(text); }
                catch (JsonException e)
                {
                    if (!response.IsSuccessStatusCode) { last = new HttpRequestException($"{endpoint.Host}: HTTP {(int)response.StatusCode}", e, response.StatusCode); continue; }
                    throw new NearRpcException($"{method}: the node returned invalid JSON.", causeName: MalformedResponseCause);
                }
                // Not an object (an array, a bare value): a JSON-RPC answer has neither result nor error then.
                if (node is JsonObject envelope && envelope["error"] is JsonNode error)
                {
                    var ex = Read(method, () => NearRpcErrors.Classify(method, error, txNonce, accountId, publicKey));
                    if (ex is NearTimeoutException) { last = ex; continue; }
                    throw ex;
                }
                if ((node as JsonObject)?["result"] is not JsonNode result)
                    throw new NearRpcException($"{method}: response has neither result nor error (HTTP {(int)response.StatusCode}).", causeName: MalformedResponseCause);
                Volatile.Write(ref _preferredEndpoint, index); // stick with a healthy endpoint
                return result;
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                last = new NearTimeoutException($"{method}: no answer from {endpoint.Host} within {_options.RequestTimeout.TotalSeconds:0.###} s.");
            }
            catch (HttpRequestException e)
            {
                last = e;
            }
        }
        throw new NearTransportException($"{method}: all {_options.MaxAttempts} attempts over {_options.Endpoints.Count} endpoint(s) failed.", last);
    }

    /// <summary>
    /// The cause of a <see cref="NearRpcException"/> for an answer this client cannot read: not JSON, not a JSON-RPC
    /// envelope, or a result of the wrong shape (a missing field, a string for a number, a number out of range). The
    /// endpoint is not trusted to answer well: what it sends must end as this typed error, never as whatever exception
    /// reading it happened to throw (which the callers would take for a bug).
    /// </summary>
    public const string MalformedResponseCause = "MALFORMED_RESPONSE";

    /// <summary>The largest answer read from an endpoint (larger ones fail as a transport error); NEAR's answers are far smaller.</summary>
    public const long MaxResponseBytes = 16 * 1024 * 1024;

    private static T Read<T>(string method, Func<T> read)
    {
        try
        {
            return read();
        }
        catch (Exception e) when (MalformedAnswer.IsShapeError(e) || e is FormatException)
        {
            // The exception's type, not its message: a message may quote the answer, which is the endpoint's to choose.
            throw new NearRpcException($"{method}: the node's answer is malformed ({e.GetType().Name}).", causeName: MalformedResponseCause);
        }
    }

    private TimeSpan Backoff(int attempt)
    {
        // Exponential backoff with full jitter: uniform in [0, min(max, base·2^(attempt−1))].
        double cap = Math.Min(_options.MaxDelay.TotalMilliseconds, _options.BaseDelay.TotalMilliseconds * Math.Pow(2, attempt - 1));
        return TimeSpan.FromMilliseconds(Random.Shared.NextDouble() * cap);
    }

    internal static AccessKeyPermission ParsePermission(JsonNode? permission)
    {
        if (permission is JsonValue v && v.GetValue<string>() == "FullAccess") return FullAccessPermission.Instance;
        // Named by its shape, never quoted: the message reaches /v1/ready, logs and an owner's 503, and the text is the endpoint's.
        var fc = permission?["FunctionCall"] ?? throw new NearRpcException($"Unknown access key permission (a JSON {permission?.GetValueKind().ToString().ToLowerInvariant() ?? "null"}).");
        var allowance = fc["allowance"] is JsonValue a ? UInt128.Parse(a.GetValue<string>()) : (UInt128?)null;
        return new FunctionCallPermission(allowance, fc["receiver_id"]!.GetValue<string>(),
            fc["method_names"]?.AsArray().Select(m => m!.GetValue<string>()).ToList() ?? []);
    }
}
