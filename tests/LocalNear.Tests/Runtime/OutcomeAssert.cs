using System.Text;
using System.Text.Json.Nodes;
using Keystore.LocalNear.Chain;
using Xunit;

namespace Keystore.LocalNear.Tests.Runtime;

internal static class OutcomeAssert
{
    public static string SuccessText(FinalExecutionOutcome outcome)
    {
        var value = Assert.IsType<FinalExecutionStatus.SuccessValue>(outcome.Status, exactMatch: false);
        return Encoding.UTF8.GetString(value.Value);
    }

    public static JsonObject Failure(FinalExecutionOutcome outcome) =>
        Assert.IsType<FinalExecutionStatus.Failure>(outcome.Status, exactMatch: false).Error;

    /// <summary>The FunctionCallError object of a failed transaction's ActionError.</summary>
    public static JsonNode FunctionCallError(FinalExecutionOutcome outcome) =>
        Failure(outcome)["ActionError"]!["kind"]!["FunctionCallError"]!;

    public static string ExecutionError(FinalExecutionOutcome outcome) =>
        FunctionCallError(outcome)["ExecutionError"]!.GetValue<string>();
}
