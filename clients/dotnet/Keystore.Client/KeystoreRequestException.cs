using System.Text.Json.Nodes;

namespace Keystore.Client;

/// <summary>400/404/405/413: the request itself is wrong (bad transaction, PSBT, account, chain or index); retrying does not help.</summary>
public sealed class KeystoreRequestException(int status, string type, string? title, string? detail, string? traceId, JsonObject body)
    : KeystoreProblemException(status, type, title, detail, traceId, body);
