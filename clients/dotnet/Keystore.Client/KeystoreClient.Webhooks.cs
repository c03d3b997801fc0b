using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Keystore.Client;

/// <summary>The account's webhook (owner keys only): where the keystore posts its decisions as they happen.</summary>
public sealed partial class KeystoreClient
{
    /// <summary>
    /// Sets (or replaces) the webhook: the keystore posts each audit entry whose kind is in <paramref name="events"/>
    /// (<c>pending</c>, <c>approved</c>, <c>rejected</c>, <c>signed</c>, …) to <paramref name="url"/> (https, public addresses).
    /// The answer holds the HMAC secret, this once.
    /// </summary>
    public async Task<CreatedWebhook> SetWebhookAsync(string url, IEnumerable<string> events, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(events);
        var body = new JsonObject { ["url"] = url, ["events"] = new JsonArray(events.Select(e => (JsonNode?)e).ToArray()) };
        JsonNode answer = await SendAsync(HttpMethod.Put, WebhookPath, Encoding.UTF8.GetBytes(body.ToJsonString()), signed: true, ct).ConfigureAwait(false);
        return answer.Deserialize(ClientJsonContext.Default.CreatedWebhook)!;
    }

    /// <summary>The webhook without its secret; 404 <c>webhook-not-found</c> (a <see cref="KeystoreRequestException"/>) when there is none.</summary>
    public async Task<WebhookInfo> GetWebhookAsync(CancellationToken ct = default)
    {
        JsonNode answer = await SendAsync(HttpMethod.Get, WebhookPath, null, signed: true, ct).ConfigureAwait(false);
        return answer.Deserialize(ClientJsonContext.Default.WebhookInfo)!;
    }

    /// <summary>Removes the webhook: nothing more is posted, on every instance; 404 <c>webhook-not-found</c> when there is none.</summary>
    public async Task<WebhookDeletion> DeleteWebhookAsync(CancellationToken ct = default)
    {
        JsonNode answer = await SendAsync(HttpMethod.Delete, WebhookPath, null, signed: true, ct).ConfigureAwait(false);
        return answer.Deserialize(ClientJsonContext.Default.WebhookDeletion)!;
    }

    private string WebhookPath => $"{AccountPath}/webhook";
}
