using System.Text;
using System.Text.Json.Nodes;

namespace Keystore.Near.Rpc;

/// <summary>
/// A transaction's final outcome as send_tx / tx / broadcast_tx_commit report it. Status is
/// <c>{"SuccessValue": base64}</c>, <c>{"SuccessReceiptId": …}</c>, <c>{"Failure": …}</c>, or absent when wait_until returned early.
/// </summary>
public sealed record ExecutionOutcome(string TransactionHash, string? FinalExecutionStatus, byte[]? SuccessValue, JsonNode? Failure, JsonNode Raw)
{
    public bool IsSuccess => Failure is null && (SuccessValue is not null || Raw["status"]?["SuccessReceiptId"] is not null);
    public bool IsFailure => Failure is not null;

    /// <summary>The call's return value parsed as JSON (contracts return JSON by convention); null when it returned nothing.</summary>
    public JsonNode? SuccessValueJson() => SuccessValue is { Length: > 0 } v ? JsonNode.Parse(v) : null;

    public string? SuccessValueText() => SuccessValue is null ? null : System.Text.Encoding.UTF8.GetString(SuccessValue);

    /// <summary>A readable failure: the contract's panic message when there is one, else the error kind.</summary>
    public string? FailureMessage => Failure is null ? null : DescribeFailure(Failure);

    public ExecutionOutcome EnsureSuccess()
    {
        if (Failure is not null) throw new TransactionFailedException(TransactionHash, FailureMessage!, Failure);
        return this;
    }

    internal static string DescribeFailure(JsonNode failure)
    {
        // ActionError.kind.FunctionCallError.ExecutionError carries "Smart contract panicked: …".
        var kind = failure["ActionError"]?["kind"];
        var exec = kind?["FunctionCallError"]?["ExecutionError"];
        if (exec is JsonValue ev && ev.TryGetValue<string>(out var panic)) return panic;
        var fce = kind?["FunctionCallError"];
        if (fce is not null) return "FunctionCallError: " + fce.ToJsonString();
        if (kind is not null) return "ActionError: " + kind.ToJsonString();
        return failure.ToJsonString();
    }

    public static ExecutionOutcome Parse(JsonNode result)
    {
        string hash = result["transaction"]?["hash"]?.GetValue<string>() ?? result["transaction_outcome"]?["id"]?.GetValue<string>() ?? "";
        string? final = result["final_execution_status"]?.GetValue<string>();
        var status = result["status"];
        byte[]? success = null;
        JsonNode? failure = null;
        if (status is JsonObject obj)
        {
            if (obj["SuccessValue"] is JsonValue sv) success = Convert.FromBase64String(sv.GetValue<string>());
            if (obj["Failure"] is JsonNode f) failure = f.DeepClone();
        }
        return new ExecutionOutcome(hash, final, success, failure, result);
    }
}
