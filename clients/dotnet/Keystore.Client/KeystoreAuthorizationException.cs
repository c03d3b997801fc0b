using System.Text.Json.Nodes;

namespace Keystore.Client;

/// <summary>401/403: the NEAR credential was refused (expired, replayed, wrongly signed) or its key does not own the account.</summary>
public sealed class KeystoreAuthorizationException(int status, string type, string? title, string? detail, string? traceId, JsonObject body)
    : KeystoreProblemException(status, type, title, detail, traceId, body);
