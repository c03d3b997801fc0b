using System.Text.Json.Nodes;

namespace Keystore.Client;

/// <summary>
/// One link of the signed audit chain (<see cref="Seq"/>, <see cref="Prev"/>, <see cref="ContentHash"/>, <see cref="Hash"/>,
/// <see cref="Signature"/>: hex) with its content: <see cref="Content"/> is the exact text <see cref="ContentHash"/> covers,
/// <see cref="Entry"/> the same parsed (<c>kind</c>, <c>chain</c>, <c>agent</c>, <c>rule</c>, <c>payloadHash</c>, …).
/// </summary>
public sealed record AccountAuditEntry(long Seq, DateTimeOffset At, string Prev, string ContentHash, string Hash, string Signature, string Content, JsonObject Entry);
