using Keystore.Audit;
using Keystore.Metrics;
using Keystore.Problems;

namespace Keystore.Agents;

/// <summary>
/// The account freeze, one rule for every path that signs: while an owner has frozen the account nothing is signed for
/// it, by its agents or by its owners, one request or a batch. It reads the account's policy (so the same read can serve
/// the agent gate after it) and answers a refusal the same way everywhere: audited as <c>denied</c> under
/// <see cref="Rule"/>, counted, 403 <c>policy-denied</c> naming the rule.
/// </summary>
public sealed class AccountFreeze(AgentStore agents, IAuditLog audit)
{
    /// <summary>The rule a refusal names (stable: clients and metrics switch on it).</summary>
    public const string Rule = "account-freeze";

    /// <summary>The account's policy and whether its freeze stops signing now.</summary>
    public async Task<(AccountPolicy Policy, bool Frozen)> CheckAsync(string account, CancellationToken cancellationToken)
    {
        AccountPolicy policy = await agents.GetAccountPolicyAsync(account, cancellationToken).ConfigureAwait(false);
        return (policy, policy.Frozen);
    }

    public static string Message(string account) => $"'{account}' is frozen by its owner: nothing is signed until the freeze is lifted.";

    /// <summary>
    /// Records and answers the refusal of a request to a frozen account; <paramref name="decided"/> names who asked, the
    /// chain and the payload hash. The entry is written before the answer (a decision not in the log is not given).
    /// </summary>
    public async Task<IResult> RefuseAsync(AuditEvent decided)
    {
        ArgumentNullException.ThrowIfNull(decided);
        await audit.AppendAsync(decided with { Kind = AuditKinds.Denied, Rule = Rule }, CancellationToken.None).ConfigureAwait(false);
        PolicyDecisionMetrics.Record(PolicyDecisionMetrics.Deny, Rule);
        return ProblemResults.For(AgentProblems.PolicyDenied, Message(decided.Account), new Dictionary<string, object?> { ["rule"] = Rule });
    }
}
