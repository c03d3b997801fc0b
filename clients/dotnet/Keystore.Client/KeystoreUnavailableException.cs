using System.Text.Json.Nodes;

namespace Keystore.Client;

/// <summary>429/503: not ready yet, busy, rate-limited or NEAR unreachable; retrying later may succeed.</summary>
public sealed class KeystoreUnavailableException(int status, string type, string? title, string? detail, string? traceId, JsonObject body)
    : KeystoreProblemException(status, type, title, detail, traceId, body);
