using Keystore.Agents;
using Keystore.Policies.Schema;

namespace Keystore.Export;

/// <summary>
/// The account policy's <c>export</c> member decides: absent, the owner (already authenticated) exports at once;
/// <c>allowed: false</c> refuses; <c>approvals</c> makes the export wait for m of n approvers. A stored document this
/// keystore can no longer validate refuses, as it does for signing: a policy that cannot be read is not "no policy".
/// </summary>
public sealed class AccountPolicyExportPolicy(AgentStore agents) : IExportPolicy
{
    private readonly ValidatedPolicyCache _policies = new();

    public async ValueTask<ExportVerdict> EvaluateAsync(ExportContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        AccountPolicy stored = await agents.GetAccountPolicyAsync(context.Account, cancellationToken).ConfigureAwait(false);
        if (stored.Rules is not { } rules) return ExportVerdict.Allow;
        if (_policies.Account(rules).Account is not { } policy)
            return ExportVerdict.Deny("The account's stored policy is not valid under this keystore's policy schema; the owner must replace it.");
        return policy.Export switch
        {
            null => ExportVerdict.Allow,
            { Allowed: false } => ExportVerdict.Deny($"The policy of '{context.Account}' does not allow key export (export.allowed is false)."),
            { Approvals: { } approvals } => ExportVerdict.RequireApprovals(approvals),
            _ => ExportVerdict.Allow,
        };
    }
}
