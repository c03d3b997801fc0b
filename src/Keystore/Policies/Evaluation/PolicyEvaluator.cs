using System.Numerics;
using Keystore.Policies.Decoding;
using Keystore.Policies.Documents;

namespace Keystore.Policies.Evaluation;

/// <summary>
/// Decides whether an agent may sign a decoded request. Default deny: the request must be allowed entirely by one
/// rule of the agent's policy, checked in this order: freeze (account) → chains → operations → assets → destination
/// deny and allow lists, contracts and programs, EIP-712 domains → per-transaction maxima → rolling windows →
/// time of day → rate → capabilities (opaque payloads, unlimited approvals); then the account's own caps. Pure: the
/// windows' totals live in the store, so an allowed decision lists the <see cref="PolicyCharge"/>s to reserve.
/// </summary>
public static class PolicyEvaluator
{
    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);

    /// <summary>Owners are unrestricted except by the account's freeze.</summary>
    public static PolicyDecision EvaluateOwner(AccountPolicy? account) =>
        account is { Frozen: true } ? PolicyDecision.Deny(PolicyRuleIds.Freeze, "The account is frozen.") : PolicyDecision.Allow(null, []);

    /// <param name="account">The account-wide policy, if the owner set one.</param>
    /// <param name="agentId">The agent's stable id, which scopes its window and rate charges.</param>
    /// <param name="agent">The agent's policy.</param>
    /// <param name="intent">What the request would do, from the decoders.</param>
    /// <param name="now">The time windows and time-of-day are judged at.</param>
    /// <param name="approvedBy">The approvers who approved this very request (a pending approval being finished): a rule's
    /// <c>approvals</c> are met when enough of its own approvers are among them.</param>
    public static PolicyDecision Evaluate(AccountPolicy? account, string agentId, AgentPolicy agent, SignIntent intent, DateTimeOffset now,
        IReadOnlySet<string>? approvedBy = null)
    {
        ArgumentNullException.ThrowIfNull(agent);
        ArgumentNullException.ThrowIfNull(intent);
        if (account is { Frozen: true }) return PolicyDecision.Deny(PolicyRuleIds.Freeze, "The account is frozen.");

        Dictionary<string, BigInteger> spend = SpendByAsset(intent);
        (int Stage, PolicyDecision Decision)? closest = null;
        PolicyDecision? awaitingApproval = null;
        foreach (PolicyRule rule in agent.Rules)
        {
            var charges = new List<PolicyCharge>();
            bool unlisted = false;
            (int stage, PolicyDecision? denial) = EvaluateRule(rule, agentId, intent, spend, now, charges, ref unlisted);
            if (denial is null)
            {
                PolicyDecision? accountDenial = account is null ? null : ApplyAccount(account, spend, charges);
                if (accountDenial is not null) return accountDenial;
                // A rule that wants approvals yields to a later rule that allows the request outright.
                if (rule.Approvals is { } approvals && approvals.AppliesTo(spend, unlisted) && !approvals.IsSatisfiedBy(approvedBy))
                {
                    awaitingApproval ??= PolicyDecision.RequireApproval(rule.Id, approvals, charges, spend);
                    continue;
                }
                return PolicyDecision.Allow(rule.Id, charges, spend);
            }
            if (closest is null || stage > closest.Value.Stage) closest = (stage, denial);
        }
        return awaitingApproval ?? closest?.Decision ?? PolicyDecision.Deny(PolicyRuleIds.DefaultDeny, "The agent's policy has no rule.");
    }

    private static (int Stage, PolicyDecision? Denial) EvaluateRule(PolicyRule rule, string agentId, SignIntent intent,
        Dictionary<string, BigInteger> spend, DateTimeOffset now, List<PolicyCharge> charges, ref bool unlistedDestination)
    {
        int stage = 0;
        (int, PolicyDecision?) Deny(string ruleId, string message) => (stage, PolicyDecision.Deny(ruleId, message, rule.Id));

        stage++;
        if (!rule.Chains.Contains(intent.Chain))
            return Deny(PolicyRuleIds.Chains, $"Rule {rule.Id} does not allow {PolicyNames.Of(intent.Chain)}.");
        stage++;
        if (!rule.Operations.Contains(intent.Operation))
            return Deny(PolicyRuleIds.Operations, $"Rule {rule.Id} does not allow {PolicyNames.Of(intent.Operation)} on {PolicyNames.Of(intent.Chain)}.");

        stage++;
        foreach (string asset in spend.Keys)
            if (asset != AssetId.UnknownSplMint && !rule.Limits.ContainsKey(asset))
                // A rule that lists only a token still pays the chain's fee in its coin: say so, or the denial reads as a bug.
                return Deny(PolicyRuleIds.Assets, intent.Transfers.Any(t => t.Kind == TransferKind.Fee && t.Asset == asset)
                    ? $"Rule {rule.Id} does not allow moving {asset}: the request's network fee is spend of {asset}: list it in the rule's limits."
                    : $"Rule {rule.Id} does not allow moving {asset}.");

        stage++;
        foreach (AssetTransfer transfer in intent.Transfers)
            if (transfer.Destination is { } d && rule.DenyDestinations.Contains(d))
                return Deny(PolicyRuleIds.DestinationsDeny, $"Rule {rule.Id} denies the destination {d}.");
        foreach (ContractCall call in intent.Calls)
            if (rule.DenyDestinations.Contains(call.Address))
                return Deny(PolicyRuleIds.DestinationsDeny, $"Rule {rule.Id} denies the contract {call.Address}.");
        stage++;
        if (rule.AllowDestinations is { } allow)
            foreach (AssetTransfer transfer in intent.Transfers)
            {
                // Value whose destination the request does not show (a contract creation's new contract, an account from a
                // Solana lookup table) is not going to a listed one; only a fee goes nowhere.
                if (transfer.Kind == TransferKind.Fee || (transfer.Destination is { } listed && allow.Contains(listed))) continue;
                // The rule's approvers may let an unlisted destination through; the request then waits for them.
                if (rule.Approvals is { UnlistedDestinations: true })
                {
                    unlistedDestination = true;
                    continue;
                }
                return Deny(PolicyRuleIds.DestinationsAllow, transfer.Destination is { } d
                    ? $"Rule {rule.Id} does not list the destination {d}."
                    : $"Rule {rule.Id} lists the destinations of {transfer.Asset}, and this request does not show where it goes.");
            }
        stage++;
        foreach (ContractCall call in intent.Calls)
            if (!call.Decoded && !rule.AllowOpaque && !IsListed(rule, intent.Chain, call))
                return Deny(PolicyRuleIds.Contracts, call.Selector is null
                    ? $"Rule {rule.Id} does not list the program {call.Address}."
                    : $"Rule {rule.Id} does not list the call {call.Selector} on {call.Address}.");
        stage++;
        if (intent.Domain is { } domain)
        {
            if (rule.Eip712Domains is { } domains && !domains.Any(r => Matches(r, domain)))
                return Deny(PolicyRuleIds.Eip712Domains, $"Rule {rule.Id} does not list the EIP-712 domain of this typed data.");
            // Typed data can authorize anything its verifying contract honours (orders, Permit2, votes): unless it was
            // decoded (an EIP-2612 permit), the owner must trust its domain by listing it, or allow opaque payloads.
            if (rule.Eip712Domains is null && intent.Transfers.Count == 0 && !rule.AllowOpaque)
                return Deny(PolicyRuleIds.Eip712Domains, $"Rule {rule.Id} lists no EIP-712 domain, and this typed data is not one whose effect is decoded.");
        }

        stage++;
        foreach (var (asset, amount) in spend)
            if (rule.Limits.TryGetValue(asset, out AssetLimit? limit) && limit.PerTransaction is { } max && amount > max)
                return Deny(PolicyRuleIds.PerTransaction, $"Rule {rule.Id} allows at most {max} of {asset} per request; this one moves {amount}.");

        stage++;
        foreach (var (asset, amount) in spend)
        {
            if (!rule.Limits.TryGetValue(asset, out AssetLimit? limit)) continue;
            foreach (WindowLimit window in limit.Windows)
            {
                string id = PolicyRuleIds.Window(asset, window.Period);
                if (amount > window.Limit)
                    return Deny(id, $"Rule {rule.Id} allows at most {window.Limit} of {asset} {window.Period}; this request alone moves {amount}.");
                charges.Add(new PolicyCharge($"agent:{agentId}:{asset}:{window.Period}", window.Length, window.Limit, amount, id));
            }
        }

        stage++;
        if (rule.TimeOfDay is { } times && !times.Any(t => t.Contains(now)))
            return Deny(PolicyRuleIds.TimeOfDay, $"Rule {rule.Id} does not allow signing at {now.UtcDateTime:HH:mm} UTC.");

        stage++;
        if (rule.RequestsPerMinute is { } rate)
            charges.Add(new PolicyCharge($"agent:{agentId}:requests:minute", Minute, rate, BigInteger.One, PolicyRuleIds.Rate));

        stage++;
        if (intent.Opaque && !rule.AllowOpaque)
            return Deny(PolicyRuleIds.Opaque, $"Rule {rule.Id} does not allow payloads that cannot be decoded: {intent.OpaqueReason}.");
        stage++;
        if (!rule.AllowUnlimitedApprovals && intent.Transfers.FirstOrDefault(t => t.IsUnlimitedApproval) is { } unlimited)
            return Deny(PolicyRuleIds.UnlimitedApprovals, $"Rule {rule.Id} does not allow an unlimited approval of {unlimited.Asset}.");
        return (stage, null);
    }

    /// <summary>The account-wide caps, shared by all of the account's agents; null when they allow the request.</summary>
    private static PolicyDecision? ApplyAccount(AccountPolicy account, Dictionary<string, BigInteger> spend, List<PolicyCharge> charges)
    {
        foreach (var (asset, amount) in spend)
        {
            if (!account.Limits.TryGetValue(asset, out AssetLimit? limit)) continue;
            if (limit.PerTransaction is { } max && amount > max)
                return PolicyDecision.Deny(PolicyRuleIds.AccountPrefix + PolicyRuleIds.PerTransaction,
                    $"The account allows at most {max} of {asset} per request; this one moves {amount}.");
            foreach (WindowLimit window in limit.Windows)
            {
                string id = PolicyRuleIds.AccountPrefix + PolicyRuleIds.Window(asset, window.Period);
                if (amount > window.Limit)
                    return PolicyDecision.Deny(id, $"The account allows at most {window.Limit} of {asset} {window.Period}; this request alone moves {amount}.");
                charges.Add(new PolicyCharge($"account:{asset}:{window.Period}", window.Length, window.Limit, amount, id));
            }
        }
        if (account.RequestsPerMinute is { } rate)
            charges.Add(new PolicyCharge("account:requests:minute", Minute, rate, BigInteger.One, PolicyRuleIds.AccountPrefix + PolicyRuleIds.Rate));
        return null;
    }

    /// <summary>Everything the request moves, per asset: transfers, approvals and fees alike.</summary>
    private static Dictionary<string, BigInteger> SpendByAsset(SignIntent intent)
    {
        var spend = new Dictionary<string, BigInteger>(StringComparer.Ordinal);
        foreach (AssetTransfer transfer in intent.Transfers)
            spend[transfer.Asset] = spend.GetValueOrDefault(transfer.Asset) + transfer.Amount;
        return spend;
    }

    private static bool IsListed(PolicyRule rule, PolicyChain chain, ContractCall call)
    {
        if (chain == PolicyChain.Solana) return rule.Programs.Contains(call.Address);
        foreach (ContractRule contract in rule.Contracts)
            if (contract.Address == call.Address && (contract.Selectors is null || (call.Selector is { } s && contract.Selectors.Contains(s))))
                return true;
        return false;
    }

    private static bool Matches(Eip712DomainRule rule, Eip712Domain domain) =>
        (rule.Name is null || rule.Name == domain.Name)
        && (rule.Version is null || rule.Version == domain.Version)
        && (rule.ChainId is null || rule.ChainId == domain.ChainId)
        && (rule.VerifyingContract is null || rule.VerifyingContract == domain.VerifyingContract);
}
