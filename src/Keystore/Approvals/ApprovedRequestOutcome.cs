using System.Text.Json.Nodes;

namespace Keystore.Approvals;

/// <summary>How finishing an approved request ended: its answer, or the rule that refused it at that moment.</summary>
public sealed record ApprovedRequestOutcome(JsonObject? Result, string? Rule, string? Message)
{
    public static ApprovedRequestOutcome Done(JsonObject result) => new(result, null, null);

    public static ApprovedRequestOutcome Denied(string rule, string message) => new(null, rule, message);
}
