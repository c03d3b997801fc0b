using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using Keystore.Audit;

namespace Keystore.Webhooks;

/// <summary>
/// One event to post: its id (the same on every retry, for the receiver's dedupe), kind and the exact body bytes. The body
/// holds only what the audit entry holds and may show: <c>{id, account, kind, sequence, at, chain?, payloadHash?, rule?, requestId?}</c>,
/// never a secret or a payload.
/// </summary>
public sealed record WebhookDelivery(string Id, string Account, string Kind, long Sequence, byte[] Body)
{
    public static WebhookDelivery From(AuditEvent decision, AuditEntry entry)
    {
        string id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("id", id);
            writer.WriteString("account", decision.Account);
            writer.WriteString("kind", decision.Kind);
            writer.WriteNumber("sequence", entry.Sequence);
            writer.WriteString("at", entry.At.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture));
            if (decision.Chain is not null) writer.WriteString("chain", decision.Chain);
            if (decision.PayloadHash is not null) writer.WriteString("payloadHash", Convert.ToHexStringLower(decision.PayloadHash));
            if (decision.Rule is not null) writer.WriteString("rule", decision.Rule);
            if (RequestId(decision.Detail) is { } requestId) writer.WriteString("requestId", requestId);
            writer.WriteEndObject();
        }
        return new WebhookDelivery(id, decision.Account, decision.Kind, entry.Sequence, buffer.ToArray());
    }

    /// <summary>The approval request an entry is about (see <see cref="ApprovalAuditDetail"/>), so a receiver can fetch or answer it.</summary>
    public static string? RequestId(string? detail) => ApprovalAuditDetail.RequestId(detail);
}
