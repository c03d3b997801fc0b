using System.Text.Json;

namespace Keystore.Client;

/// <summary>
/// The body of one webhook delivery: the audit entry <see cref="Sequence"/> of <see cref="Account"/>, of kind
/// <see cref="Kind"/> (<c>pending</c>, <c>approved</c>, <c>signed</c>, …). <see cref="Id"/> is the same on every retry (dedupe on
/// it); <see cref="RequestId"/> names the approval request the entry is about. Parse it only after
/// <see cref="WebhookSignatureVerifier.Verify"/> accepted the exact bytes.
/// </summary>
public sealed record WebhookNotification(string Id, string Account, string Kind, long Sequence, DateTimeOffset At,
    string? Chain = null, string? PayloadHash = null, string? Rule = null, string? RequestId = null)
{
    public static WebhookNotification Parse(ReadOnlySpan<byte> body) =>
        JsonSerializer.Deserialize(body, ClientJsonContext.Default.WebhookNotification) ?? throw new JsonException("A webhook delivery is a JSON object.");
}
