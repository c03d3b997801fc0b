using System.Text.Json.Nodes;

namespace Keystore.Agents;

/// <summary>How finishing an approved request ended: its signing answer, or the rule that refused it at that moment.</summary>
public sealed record ApprovedSigning(JsonObject? Result, string? Rule, string? Message)
{
    public static ApprovedSigning Signed(JsonObject result) => new(result, null, null);

    public static ApprovedSigning Denied(string rule, string message) => new(null, rule, message);
}
