using System.Text.RegularExpressions;

namespace Keystore.Audit;

/// <summary>
/// How an audit entry names the approval request it is about: its detail starts <c>approval &lt;id&gt;: …</c>.
/// The approval flow writes it and the webhooks read it back (a delivery's <c>requestId</c>), so both go through here.
/// </summary>
public static partial class ApprovalAuditDetail
{
    /// <summary>The detail of an entry about approval request <paramref name="approvalId"/>.</summary>
    public static string Format(string approvalId, string text) => $"approval {approvalId}: {text}";

    /// <summary>The approval request an entry's detail names, or null when it names none.</summary>
    public static string? RequestId(string? detail) =>
        detail is null ? null : Pattern().Match(detail) is { Success: true } m ? m.Groups[1].Value : null;

    [GeneratedRegex("^approval ([A-Za-z0-9_-]{1,64})(?::|$)", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 100)]
    private static partial Regex Pattern();
}
