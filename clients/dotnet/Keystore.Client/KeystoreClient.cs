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
public sealed class KeystoreClient
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

    public string AccountId { get; }

    /// <summary>The account's address on <paramref name="chain"/>; <paramref name="publish"/> signs the GET so the keystore publishes the binding.</summary>
    public async Task<KeyInfo> GetKeyAsync(string chain, uint index = 0, bool publish = false, CancellationToken ct = default)
    {
        string path = $"/v1/accounts/{Uri.EscapeDataString(AccountId)}/keys/{Uri.EscapeDataString(chain)}?index={index}";
        JsonNode answer = await SendAsync(HttpMethod.Get, path, body: null, signed: publish, ct).ConfigureAwait(false);
        return answer.Deserialize(ClientJsonContext.Default.KeyInfo)!;
    }

    /// <summary>Publishes the address in chain-keys (<c>POST …/publish</c>).</summary>
    public async Task<KeyInfo> PublishKeyAsync(string chain, uint index = 0, CancellationToken ct = default)
    {
        string path = $"/v1/accounts/{Uri.EscapeDataString(AccountId)}/keys/{Uri.EscapeDataString(chain)}/publish?index={index}";
        JsonNode answer = await SendAsync(HttpMethod.Post, path, [], signed: true, ct).ConfigureAwait(false);
        return answer.Deserialize(ClientJsonContext.Default.KeyInfo)!;
    }

    public async Task<SignedEthereumTransaction> SignEthereumTransactionAsync(EthereumTransactionRequest transaction, uint index = 0, CancellationToken ct = default)
    {
        var body = new JsonObject { ["index"] = index, ["transaction"] = JsonSerializer.SerializeToNode(transaction, ClientJsonContext.Default.EthereumTransactionRequest) };
        return (await SignAsync("ethereum", body, ct).ConfigureAwait(false)).Deserialize(ClientJsonContext.Default.SignedEthereumTransaction)!;
    }

    /// <summary>An EIP-191 personal message; returns the 65-byte signature (<c>0x…</c>, v = 27/28).</summary>
    public async Task<string> SignEthereumMessageAsync(string message, uint index = 0, CancellationToken ct = default)
    {
        JsonNode answer = await SignAsync("ethereum", new JsonObject { ["index"] = index, ["message"] = message, ["encoding"] = "utf8" }, ct).ConfigureAwait(false);
        return answer["signature"]!.GetValue<string>();
    }

    /// <summary>EIP-712 typed data (<c>{types, primaryType, domain, message}</c>).</summary>
    public async Task<string> SignTypedDataAsync(JsonNode typedData, uint index = 0, CancellationToken ct = default)
    {
        JsonNode answer = await SignAsync("ethereum", new JsonObject { ["index"] = index, ["typedData"] = typedData.DeepClone() }, ct).ConfigureAwait(false);
        return answer["signature"]!.GetValue<string>();
    }

    /// <summary>A BIP174 PSBT (base64): every input paying this key's Taproot output gets a key-path signature.</summary>
    public async Task<SignedPsbt> SignPsbtAsync(string psbtBase64, uint index = 0, IEnumerable<string>? allowedSighashTypes = null, CancellationToken ct = default)
    {
        var body = new JsonObject { ["index"] = index, ["psbt"] = psbtBase64 };
        if (allowedSighashTypes is not null)
            body["allowedSighashTypes"] = new JsonArray(allowedSighashTypes.Select(t => (JsonNode)JsonValue.Create(t)).ToArray());
        return (await SignAsync("bitcoin", body, ct).ConfigureAwait(false)).Deserialize(ClientJsonContext.Default.SignedPsbt)!;
    }

    /// <summary>A serialized Solana message (legacy or v0) this key must sign; returns the base58 signature.</summary>
    public async Task<SolanaSignature> SignSolanaMessageAsync(ReadOnlyMemory<byte> message, uint index = 0, CancellationToken ct = default)
    {
        JsonNode answer = await SignAsync("solana", new JsonObject { ["index"] = index, ["message"] = Convert.ToBase64String(message.Span) }, ct).ConfigureAwait(false);
        return answer.Deserialize(ClientJsonContext.Default.SolanaSignature)!;
    }

    /// <summary>A Solana wire transaction; returns the signature and the transaction with this key's slot filled.</summary>
    public async Task<SolanaSignature> SignSolanaTransactionAsync(ReadOnlyMemory<byte> transaction, uint index = 0, CancellationToken ct = default)
    {
        JsonNode answer = await SignAsync("solana", new JsonObject { ["index"] = index, ["transaction"] = Convert.ToBase64String(transaction.Span) }, ct).ConfigureAwait(false);
        return answer.Deserialize(ClientJsonContext.Default.SolanaSignature)!;
    }

    /// <summary>Any sign body (for shapes without a typed method); returns the answer as JSON.</summary>
    public Task<JsonNode> SignAsync(string chain, JsonObject body, CancellationToken ct = default) =>
        SendAsync(HttpMethod.Post, $"/v1/accounts/{Uri.EscapeDataString(AccountId)}/sign/{Uri.EscapeDataString(chain)}",
            Encoding.UTF8.GetBytes(body.ToJsonString()), signed: true, ct);

    /// <summary><c>/v1/ready</c> when ready; a 503 throws <see cref="KeystoreUnavailableException"/> with the boot steps in its body.</summary>
    public Task<JsonNode> GetReadyAsync(CancellationToken ct = default) => SendAsync(HttpMethod.Get, "/v1/ready", null, signed: false, ct);

    public Task<JsonNode> GetAttestationAsync(CancellationToken ct = default) => SendAsync(HttpMethod.Get, "/v1/attestation", null, signed: false, ct);

    private async Task<JsonNode> SendAsync(HttpMethod method, string pathAndQuery, byte[]? body, bool signed, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(method, pathAndQuery);
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
        if (response.IsSuccessStatusCode && json is not null) return json;
        throw KeystoreProblemException.From((int)response.StatusCode,
            json as JsonObject ?? new JsonObject { ["title"] = response.ReasonPhrase, ["detail"] = "The keystore answered without a problem body." });
    }
}
