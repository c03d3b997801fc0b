using System.Text.Json.Nodes;

namespace Keystore.Near.Rpc;

/// <summary>Maps nearcore's JSON-RPC error shapes (structured <c>name/cause/info</c> and the legacy <c>data</c> strings) to typed exceptions.</summary>
internal static class NearRpcErrors
{
    public static NearRpcException Classify(string method, JsonNode error, ulong? txNonce, string? accountId, string? publicKey)
    {
        string? name = Str(error["name"]);
        string? cause = Str(Child(error["cause"], "name"));
        var info = Child(error["cause"], "info");
        var data = error["data"];
        string dataText = data is JsonValue dv && dv.TryGetValue<string>(out var s) ? s : data?.ToJsonString() ?? "";
        string message = Str(error["message"]) ?? "";

        if (cause == "TIMEOUT_ERROR" || dataText.Contains("Request has timed out.", StringComparison.Ordinal) ||
            message.Contains("Request has timed out.", StringComparison.Ordinal) || dataText == "Timeout")
            return new NearTimeoutException($"{method}: the node timed out.");

        // Structured cause names first; the legacy data strings only when there is no cause.
        bool legacyAccessKey = cause is null && dataText.StartsWith("access key", StringComparison.Ordinal) && dataText.Contains("does not exist", StringComparison.Ordinal);
        bool legacyAccount = cause is null && dataText.StartsWith("account ", StringComparison.Ordinal) && dataText.Contains("does not exist while viewing", StringComparison.Ordinal);

        if (cause == "UNKNOWN_ACCESS_KEY" || legacyAccessKey)
            return new AccessKeyNotFoundException(accountId ?? "?", Str(Child(info, "public_key")) ?? publicKey ?? "?");

        if (cause == "UNKNOWN_ACCOUNT" || legacyAccount)
            return new UnknownAccountException(Str(Child(info, "requested_account_id")) ?? accountId ?? "?");

        // Transaction validity errors: info / data = {"TxExecutionError":{"InvalidTxError":…}} (older nodes: data only).
        var invalidTx = Child(Child(info, "TxExecutionError"), "InvalidTxError") ?? Child(Child(data, "TxExecutionError"), "InvalidTxError") ?? Child(data, "InvalidTxError");
        if (invalidTx is not null)
        {
            // Unit variants arrive as bare strings ("InvalidSignature"), data variants as objects.
            if (Str(invalidTx) is string unit)
                return unit == "InvalidSignature" ? new InvalidSignatureException()
                    : new NearRpcException($"{method}: invalid transaction: {Bounded(unit)}", name, cause ?? "INVALID_TRANSACTION", error.DeepClone());
            if (Child(invalidTx, "InvalidNonce") is JsonNode nonce)
                return new InvalidNonceException(nonce["tx_nonce"]?.GetValue<ulong>() ?? txNonce ?? 0, nonce["ak_nonce"]!.GetValue<ulong>());
            if (Child(invalidTx, "InvalidSignature") is not null)
                return new InvalidSignatureException();
            if (Child(Child(invalidTx, "InvalidAccessKeyError"), "AccessKeyNotFound") is JsonNode akn)
                return new AccessKeyNotFoundException(Str(akn["account_id"]) ?? accountId ?? "?", Str(akn["public_key"]) ?? publicKey ?? "?");
            return new NearRpcException($"{method}: invalid transaction: {Bounded(invalidTx.ToJsonString())}", name, cause ?? "INVALID_TRANSACTION", error.DeepClone());
        }

        string detail = cause is not null ? $"{cause}{(info is null ? "" : " " + info.ToJsonString())}" : dataText.Length > 0 ? dataText : message;
        if (cause == "CONTRACT_EXECUTION_ERROR" && Str(Child(info, "vm_error")) is string vm) detail = $"{cause}: {vm}";
        return new NearRpcException($"{method}: {Bounded(name ?? "error")}: {Bounded(detail)}", name, cause, error.DeepClone());
    }

    /// <summary>
    /// An endpoint's text as a message may carry it: enough of a node's error (a contract's panic message) to diagnose,
    /// but bounded, since the message reaches /v1/ready, logs and an owner's 503 and an endpoint may send megabytes.
    /// </summary>
    private static string Bounded(string text) => text.Length <= MaxQuoted ? text : string.Concat(text.AsSpan(0, MaxQuoted), "…");

    private const int MaxQuoted = 512;

    /// <summary>Member access that tolerates strings where objects were expected (nearcore mixes both shapes).</summary>
    private static JsonNode? Child(JsonNode? node, string name) => node is JsonObject o ? o[name] : null;

    private static string? Str(JsonNode? node) => node is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;
}
