using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Keystore.Client;

/// <summary>
/// Calls the keystore as the owner of one NEAR account: every signing request carries a fresh NEP-413
/// <c>Authorization: NEAR …</c> header made with <see cref="NearKeyPair"/>; problem answers throw a
/// <see cref="KeystoreProblemException"/> subclass.
/// </summary>
public sealed partial class KeystoreClient
{
    private readonly HttpClient _http;
    private readonly NearKeyPair _key;
    private readonly string _recipient;

    /// <param name="http">An HttpClient whose <see cref="HttpClient.BaseAddress"/> is the keystore (e.g. <c>http://127.0.0.1:8080</c>).</param>
    /// <param name="accountId">The NEAR account whose keys sign.</param>
    /// <param name="key">A full-access key of that account (see <see cref="NearKeyPair.FromCredentialsFile"/>).</param>
    /// <param name="recipient">The keystore's <c>Keystore:ServiceName</c>.</param>
    public KeystoreClient(HttpClient http, string accountId, NearKeyPair key, string recipient = NearCredential.DefaultRecipient)
    {
        ArgumentNullException.ThrowIfNull(http);
        if (http.BaseAddress is null) throw new ArgumentException("The HttpClient needs a BaseAddress (the keystore's URL).", nameof(http));
        _http = http;
        AccountId = accountId;
        _key = key;
        _recipient = recipient;
    }

    /// <summary>The header that makes a sign request safe to retry.</summary>
    public const string IdempotencyHeader = "Idempotency-Key";

    public string AccountId { get; }

    /// <summary>The account's address on <paramref name="chain"/>; <paramref name="publish"/> signs the GET so the keystore publishes the binding.</summary>
    public async Task<KeyInfo> GetKeyAsync(string chain, uint index = 0, bool publish = false, CancellationToken ct = default)
    {
        string path = $"{AccountPath}/keys/{Uri.EscapeDataString(chain)}?index={index}";
        JsonNode answer = await SendAsync(HttpMethod.Get, path, body: null, signed: publish, ct).ConfigureAwait(false);
        return answer.Deserialize(ClientJsonContext.Default.KeyInfo)!;
    }

    /// <summary>Publishes the address in chain-keys (<c>POST …/publish</c>).</summary>
    public async Task<KeyInfo> PublishKeyAsync(string chain, uint index = 0, CancellationToken ct = default)
    {
        string path = $"{AccountPath}/keys/{Uri.EscapeDataString(chain)}/publish?index={index}";
        JsonNode answer = await SendAsync(HttpMethod.Post, path, [], signed: true, ct).ConfigureAwait(false);
        return answer.Deserialize(ClientJsonContext.Default.KeyInfo)!;
    }

    /// <summary>
    /// An Ethereum transaction; returns it signed. Every sign method takes an <c>idempotencyKey</c>, sent as
    /// <c>Idempotency-Key</c>: the same key with the same request gets the answer already given (a retry after a lost
    /// answer signs nothing twice); with another request it is 409 <c>idempotency-conflict</c>.
    /// </summary>
    public async Task<SignedEthereumTransaction> SignEthereumTransactionAsync(EthereumTransactionRequest transaction, uint index = 0, string? idempotencyKey = null,
        CancellationToken ct = default)
    {
        return (await SignAsync("ethereum", EthereumTransactionBody(transaction, index), idempotencyKey, ct).ConfigureAwait(false))
            .Deserialize(ClientJsonContext.Default.SignedEthereumTransaction)!;
    }

    /// <summary>An EIP-191 personal message; returns the 65-byte signature (<c>0x…</c>, v = 27/28).</summary>
    public async Task<string> SignEthereumMessageAsync(string message, uint index = 0, string? idempotencyKey = null, CancellationToken ct = default)
    {
        JsonNode answer = await SignAsync("ethereum", new JsonObject { ["index"] = index, ["message"] = message, ["encoding"] = "utf8" }, idempotencyKey, ct).ConfigureAwait(false);
        return answer["signature"]!.GetValue<string>();
    }

    /// <summary>EIP-712 typed data (<c>{types, primaryType, domain, message}</c>).</summary>
    public async Task<string> SignTypedDataAsync(JsonNode typedData, uint index = 0, string? idempotencyKey = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(typedData);
        JsonNode answer = await SignAsync("ethereum", new JsonObject { ["index"] = index, ["typedData"] = typedData.DeepClone() }, idempotencyKey, ct).ConfigureAwait(false);
        return answer["signature"]!.GetValue<string>();
    }

    /// <summary>A BIP174 PSBT (base64): every input paying this key's Taproot output gets a key-path signature.</summary>
    public async Task<SignedPsbt> SignPsbtAsync(string psbtBase64, uint index = 0, IEnumerable<string>? allowedSighashTypes = null, string? idempotencyKey = null,
        CancellationToken ct = default)
    {
        var body = new JsonObject { ["index"] = index, ["psbt"] = psbtBase64 };
        if (allowedSighashTypes is not null)
            body["allowedSighashTypes"] = new JsonArray(allowedSighashTypes.Select(t => (JsonNode)JsonValue.Create(t)).ToArray());
        return (await SignAsync("bitcoin", body, idempotencyKey, ct).ConfigureAwait(false)).Deserialize(ClientJsonContext.Default.SignedPsbt)!;
    }

    /// <summary>A serialized Solana message (legacy or v0) this key must sign; returns the base58 signature.</summary>
    public async Task<SolanaSignature> SignSolanaMessageAsync(ReadOnlyMemory<byte> message, uint index = 0, string? idempotencyKey = null, CancellationToken ct = default)
    {
        JsonNode answer = await SignAsync("solana", new JsonObject { ["index"] = index, ["message"] = Convert.ToBase64String(message.Span) }, idempotencyKey, ct).ConfigureAwait(false);
        return answer.Deserialize(ClientJsonContext.Default.SolanaSignature)!;
    }

    /// <summary>A Solana wire transaction; returns the signature and the transaction with this key's slot filled.</summary>
    public async Task<SolanaSignature> SignSolanaTransactionAsync(ReadOnlyMemory<byte> transaction, uint index = 0, string? idempotencyKey = null, CancellationToken ct = default)
    {
        JsonNode answer = await SignAsync("solana", new JsonObject { ["index"] = index, ["transaction"] = Convert.ToBase64String(transaction.Span) }, idempotencyKey, ct).ConfigureAwait(false);
        return answer.Deserialize(ClientJsonContext.Default.SolanaSignature)!;
    }

    /// <summary>Any sign body (for shapes without a typed method); returns the answer as JSON.</summary>
    /// <exception cref="ApprovalPendingException">The agent's policy holds the request for approvals (202): nothing is signed yet.</exception>
    public Task<JsonNode> SignAsync(string chain, JsonObject body, string? idempotencyKey = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(body);
        return SendAsync(HttpMethod.Post, $"{AccountPath}/sign/{Uri.EscapeDataString(chain)}", Encoding.UTF8.GetBytes(body.ToJsonString()), signed: true, ct, idempotencyKey);
    }

    /// <summary>
    /// <c>?dryRun=true</c>: what the keystore would decide for this sign request (the freeze, an agent's policy and its
    /// spending windows), without signing, deriving a key or spending anything.
    /// </summary>
    public async Task<SignDecision> DryRunAsync(string chain, JsonObject body, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(body);
        JsonNode answer = await SendAsync(HttpMethod.Post, $"{AccountPath}/sign/{Uri.EscapeDataString(chain)}?dryRun=true",
            Encoding.UTF8.GetBytes(body.ToJsonString()), signed: true, ct).ConfigureAwait(false);
        return answer.Deserialize(ClientJsonContext.Default.SignDecision)!;
    }

    /// <summary>The dry run of <see cref="SignEthereumTransactionAsync"/>.</summary>
    public Task<SignDecision> DryRunEthereumTransactionAsync(EthereumTransactionRequest transaction, uint index = 0, CancellationToken ct = default) =>
        DryRunAsync("ethereum", EthereumTransactionBody(transaction, index), ct);

    /// <summary>
    /// Up to 100 sign requests on one chain in one call (owner keys only: agents sign one request at a time). Each item is
    /// judged on its own; the answer keeps their order, a refused item carrying its problem and nothing signed for it.
    /// </summary>
    public async Task<IReadOnlyList<SignBatchItem>> SignBatchAsync(string chain, IEnumerable<JsonObject> items, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(items);
        var body = new JsonObject { ["items"] = new JsonArray(items.Select(i => (JsonNode?)i.DeepClone()).ToArray()) };
        JsonNode answer = await SendAsync(HttpMethod.Post, $"{AccountPath}/sign-batch/{Uri.EscapeDataString(chain)}",
            Encoding.UTF8.GetBytes(body.ToJsonString()), signed: true, ct).ConfigureAwait(false);
        if (answer["results"] is not JsonArray results)
            throw new KeystoreProblemException(200, KeystoreProblemException.TypePrefix + "unexpected-answer", null, "The batch answer has no results.", null, answer as JsonObject ?? []);
        return results.Select(r => r?["problem"] is JsonObject problem
            ? new SignBatchItem(null, KeystoreProblemException.From(problem["status"] is JsonValue s && s.TryGetValue(out int status) ? status : 400, problem))
            : new SignBatchItem(r?["result"] as JsonObject, null)).ToList();
    }

    /// <summary>Exports the mnemonic and/or chain keys, encrypted to <paramref name="recipient"/> (an <c>age1…</c> X25519 recipient); owner keys only.</summary>
    public async Task<AccountExport> ExportAsync(string recipient, IEnumerable<ExportItem> include, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(include);
        var body = new JsonObject { ["recipient"] = recipient, ["include"] = new JsonArray(include.Select(i => (JsonNode?)i.ToJson()).ToArray()) };
        JsonNode answer = await SendAsync(HttpMethod.Post, $"{AccountPath}/export", Encoding.UTF8.GetBytes(body.ToJsonString()), signed: true, ct).ConfigureAwait(false);
        return answer.Deserialize(ClientJsonContext.Default.AccountExport)!;
    }

    private static JsonObject EthereumTransactionBody(EthereumTransactionRequest transaction, uint index)
    {
        ArgumentNullException.ThrowIfNull(transaction);
        return new JsonObject { ["index"] = index, ["transaction"] = JsonSerializer.SerializeToNode(transaction, ClientJsonContext.Default.EthereumTransactionRequest) };
    }

    private string AccountPath => $"/v1/accounts/{Uri.EscapeDataString(AccountId)}";

    /// <summary><c>/v1/ready</c> when ready; a 503 throws <see cref="KeystoreUnavailableException"/> with the boot steps in its body.</summary>
    public Task<JsonNode> GetReadyAsync(CancellationToken ct = default) => SendAsync(HttpMethod.Get, "/v1/ready", null, signed: false, ct);

    public Task<JsonNode> GetAttestationAsync(CancellationToken ct = default) => SendAsync(HttpMethod.Get, "/v1/attestation", null, signed: false, ct);

    private async Task<JsonNode> SendAsync(HttpMethod method, string pathAndQuery, byte[]? body, bool signed, CancellationToken ct, string? idempotencyKey = null)
    {
        using var request = new HttpRequestMessage(method, pathAndQuery);
        if (idempotencyKey is not null)
            request.Headers.TryAddWithoutValidation(IdempotencyHeader, idempotencyKey);
        if (body is not null)
        {
            request.Content = new ByteArrayContent(body);
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        }
        if (signed)
        {
            // The signed path is exactly what the server sees: the base address's own path prefix included.
            string signedPath = new Uri(_http.BaseAddress!, pathAndQuery).PathAndQuery;
            request.Headers.Authorization = new AuthenticationHeaderValue("NEAR",
                NearCredential.Create(method.Method, signedPath, body ?? [], AccountId, _key, recipient: _recipient));
        }
        using HttpResponseMessage response = await _http.SendAsync(request, ct).ConfigureAwait(false);
        string text = await response.Content.ReadAsStringAsync(ct).ConfigureAwait(false);
        JsonNode? json = null;
        try
        {
            json = text.Length == 0 ? null : JsonNode.Parse(text);
        }
        catch (JsonException)
        {
            // Not JSON (a proxy's error page): reported below with the status.
        }
        // 202 is not a signature: the request waits for m-of-n approvals (the answer is the approval request).
        if (response.StatusCode == System.Net.HttpStatusCode.Accepted && json is JsonObject accepted
            && Text(accepted, "state") == ApprovalRequestStates.Pending && Text(accepted, "id") is not null)
            throw new ApprovalPendingException(accepted.Deserialize(ClientJsonContext.Default.ApprovalRequest)!, accepted);
        if (response.IsSuccessStatusCode && json is not null) return json;
        throw KeystoreProblemException.From((int)response.StatusCode,
            json as JsonObject ?? new JsonObject { ["title"] = response.ReasonPhrase, ["detail"] = "The keystore answered without a problem body." });
    }

    private static string? Text(JsonObject json, string name) => json[name] is JsonValue v && v.TryGetValue(out string? s) ? s : null;
}
