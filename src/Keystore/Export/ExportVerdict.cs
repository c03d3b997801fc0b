using Keystore.Policies.Documents;

namespace Keystore.Export;

/// <summary>
/// A policy's answer to an export: allowed at once, allowed once <see cref="Approvals"/> approve it, or refused by
/// <see cref="Rule"/> with a reason the caller may read.
/// </summary>
public sealed record ExportVerdict(bool Allowed, string? Reason, string? Rule = null, ExportApprovals? Approvals = null)
{
    /// <summary>The rule id an account policy's <c>export</c> member is named by in problems, audit lines and approvals.</summary>
    public const string AccountExportRule = "account:export";

    public static readonly ExportVerdict Allow = new(true, null);

    public static ExportVerdict Deny(string reason, string rule = AccountExportRule) => new(false, reason, rule);

    public static ExportVerdict RequireApprovals(ExportApprovals approvals) => new(true, null, AccountExportRule, approvals);
}
