namespace Keystore.Policies.Evaluation;

/// <summary>The stable ids of the checks a policy applies, in evaluation order; a 403 <c>policy-denied</c> names one.</summary>
public static class PolicyRuleIds
{
    public const string Allowed = "allowed";
    public const string Freeze = "freeze";
    public const string Chains = "chains";
    public const string Operations = "operations";
    /// <summary>The request moves an asset the rule's <c>limits</c> do not name.</summary>
    public const string Assets = "assets";
    public const string DestinationsDeny = "destinations.deny";
    public const string DestinationsAllow = "destinations.allow";
    public const string Contracts = "contracts";
    public const string Eip712Domains = "eip712-domains";
    public const string PerTransaction = "per-transaction";
    public const string TimeOfDay = "time-of-day";
    public const string Rate = "rate";
    public const string Opaque = "opaque";
    public const string UnlimitedApprovals = "approvals.unlimited";
    public const string DefaultDeny = "default-deny";
    /// <summary>Not a refusal: a rule allows the request once its approvers approve it (<see cref="PolicyDecision.Approval"/>).</summary>
    public const string ApprovalRequired = "approval-required";
    /// <summary>The account-wide checks carry this prefix: <c>account:per-transaction</c>, <c>account:window:eth:1:daily</c>, <c>account:rate</c>.</summary>
    public const string AccountPrefix = "account:";

    /// <summary><c>window:&lt;asset&gt;:&lt;period&gt;</c>, e.g. <c>window:eth:1:daily</c>.</summary>
    public static string Window(string asset, string period) => $"window:{asset}:{period}";
}
