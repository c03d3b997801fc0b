using Keystore.Policies.Evaluation;

namespace Keystore.Metrics;

/// <summary>
/// Feeds <c>keystore_policy_decisions_total{decision, rule}</c>. <c>decision</c> is <c>allow</c>, <c>deny</c>,
/// <c>approval-required</c> (the request now waits for m-of-n approvals) or <c>dry-run</c>; <c>rule</c> is the kind of check that denied (empty when allowed). Rule ids can carry an asset
/// (<c>window:eth:1:daily</c>, <c>account:window:erc20:1:0x…:weekly</c>), so only their kind becomes a label: the
/// series stay bounded whatever the policies name.
/// </summary>
public static class PolicyDecisionMetrics
{
    public const string Allow = "allow";
    public const string Deny = "deny";
    public const string DryRun = "dry-run";
    public const string ApprovalRequired = "approval-required";

    private const string AccountPrefix = PolicyRuleIds.AccountPrefix;

    private static readonly HashSet<string> Kinds = new(StringComparer.Ordinal)
    {
        PolicyRuleIds.Freeze, PolicyRuleIds.Chains, PolicyRuleIds.Operations, PolicyRuleIds.Assets, PolicyRuleIds.DestinationsDeny,
        PolicyRuleIds.DestinationsAllow, PolicyRuleIds.Contracts, PolicyRuleIds.Eip712Domains, PolicyRuleIds.PerTransaction,
        PolicyRuleIds.TimeOfDay, PolicyRuleIds.Rate, PolicyRuleIds.Opaque, PolicyRuleIds.UnlimitedApprovals, PolicyRuleIds.DefaultDeny,
        PolicyRuleIds.ApprovalRequired,
        "window",
        // The signing guard's own refusals: the owner's freeze of the account, and a gate that named no rule.
        "account-freeze", "policy",
    };

    public static void Record(string decision, string? ruleId) => KeystoreMetrics.PolicyDecisions.WithLabels(decision, RuleKind(ruleId)).Inc();

    /// <summary>The bounded label for a rule id: its kind (<c>window</c>, <c>account:window</c>, <c>per-transaction</c>, …), <c>other</c> for an id this version does not know.</summary>
    public static string RuleKind(string? ruleId)
    {
        if (string.IsNullOrEmpty(ruleId)) return "";
        bool account = ruleId.StartsWith(AccountPrefix, StringComparison.Ordinal);
        string id = account ? ruleId[AccountPrefix.Length..] : ruleId;
        int colon = id.IndexOf(':', StringComparison.Ordinal);
        string kind = colon < 0 ? id : id[..colon];
        if (!Kinds.Contains(kind)) return "other";
        return account ? AccountPrefix + kind : kind;
    }
}
