using System.Globalization;
using System.Text.Json;
using Keystore.Api;
using Keystore.Approvals;
using Keystore.Auth;
using Keystore.Configuration;
using Keystore.Json;
using Keystore.Near.Keys;
using Microsoft.Extensions.Options;

namespace Keystore.Export;

/// <summary>
/// Produces an export at its m-th approval. The key that asked must still be a full-access key of the account (an owner who
/// removed a stolen key ends its pending exports, as revoking an agent ends its requests), and the account policy is asked
/// again now: an export forbidden meanwhile ends <c>denied</c>, and one whose approvers changed counts only the votes of the
/// current approvers. The hourly budget is taken now, when keys leave. The result (age ciphertext only the recipient reads)
/// is stored sealed as the request's result.
/// </summary>
public sealed class ApprovedExportExecutor(ChainSignerRegistry chains, IExportPolicy policy, ExportBudget budget, ExportAuditTrail audit,
    AccountExporter exporter, IOwnerKeySource owners, IOptions<KeystoreOptions> options) : IApprovedRequestExecutor
{
    /// <summary>The rule an export ends <c>denied</c> by when the key that asked for it is no longer a full-access key of the account.</summary>
    public const string OwnerKeyRemovedRule = "owner-key-removed";

    public string? Kind => ApprovalKinds.Export;

    public string DoneState => ApprovalStates.Exported;

    /// <remarks>The export's answer is stored by the service once produced (<paramref name="resultWrite"/> is not used): an export charges no window.</remarks>
    public async Task<ApprovedRequestOutcome> ExecuteAsync(PendingApproval approval, IReadOnlySet<string> approvedBy, ApprovalResultWrite resultWrite,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(approval);
        ArgumentNullException.ThrowIfNull(approvedBy);
        ExportRequest request;
        using (JsonDocument document = StrictJson.Parse(approval.Body))
            request = ExportRequest.Parse(document.RootElement, chains);
        var export = new ExportContext(approval.Account, approval.Agent, request.Recipient.ToString(), request.Contents);

        // Owner keys come from NEAR (or the configured map) now, not from when the export was asked for; NEAR out of reach
        // fails closed (503), and the request is finished again once its lease lapses.
        IReadOnlySet<Ed25519PublicKey> keys = await owners.GetFullAccessKeysAsync(approval.Account, cancellationToken).ConfigureAwait(false);
        if (!Ed25519PublicKey.TryParse(approval.Agent, out Ed25519PublicKey requester) || !keys.Contains(requester))
            return await RefuseAsync(export, OwnerKeyRemovedRule,
                $"The key {approval.Agent} that asked for this export is no longer a full-access key of '{approval.Account}'.").ConfigureAwait(false);
        ExportVerdict verdict = await policy.EvaluateAsync(export, cancellationToken).ConfigureAwait(false);
        if (!verdict.Allowed)
            return await RefuseAsync(export, verdict.Rule ?? ExportVerdict.AccountExportRule, verdict.Reason ?? "The account's policy does not allow exports.").ConfigureAwait(false);
        if (verdict.Approvals is { } now && now.Approvers.Count(approvedBy.Contains) < now.Required)
            return await RefuseAsync(export, ExportVerdict.AccountExportRule, string.Create(CultureInfo.InvariantCulture,
                $"The account's policy now wants {now.Required} approvals from its current approvers; this request has {now.Approvers.Count(approvedBy.Contains)} of them.")).ConfigureAwait(false);
        if (budget.TryTake(approval.Account) is { } reopens)
            return await RefuseAsync(export, ExportAuditTrail.RateLimitRule, string.Create(CultureInfo.InvariantCulture,
                $"{approval.Account} may export {options.Value.Export.PerAccountPerHour} times an hour; the next export opens at {reopens:O}.")).ConfigureAwait(false);
        return ApprovedRequestOutcome.Done(await exporter.ProduceAsync(export, request).ConfigureAwait(false));
    }

    private async Task<ApprovedRequestOutcome> RefuseAsync(ExportContext export, string rule, string reason)
    {
        await audit.RefusedAsync(export, rule, reason, CancellationToken.None).ConfigureAwait(false);
        return ApprovedRequestOutcome.Denied(rule, reason);
    }
}
