namespace Keystore.Approvals;

/// <summary>
/// The <c>Keystore:Approvals</c> section: how long a request waits for its approvers, when rejections end it, and how
/// often requests nobody reads are expired or taken over.
/// </summary>
public sealed class ApprovalOptions
{
    /// <summary>Seconds a pending request waits for its approvals before it expires (nothing is signed after).</summary>
    public int ExpirySeconds { get; set; } = 86_400;

    /// <summary>
    /// True: the first rejection ends the request. False: it ends only once the approvals it needs can no longer be had
    /// (more than n − m rejections).
    /// </summary>
    public bool EndOnFirstRejection { get; set; } = true;

    /// <summary>Requests one account may have pending at once; beyond it a new one is refused (409 <c>too-many-pending</c>).</summary>
    public int MaxPendingPerAccount { get; set; } = 100;

    /// <summary>
    /// Seconds between two passes of the sweeper (<see cref="ApprovalSweeper"/>), which expires requests past their time and
    /// takes over requests left <c>signing</c> by a stopped instance, without waiting for someone to read them.
    /// </summary>
    public int SweepIntervalSeconds { get; set; } = 60;

    /// <summary>
    /// Seconds the instance that starts finishing an approved request has to store how it ended; past it another instance
    /// (or this one after a restart) finishes it again. Longer than a window reservation's hold (5 minutes), so the amounts a
    /// stopped attempt held have lapsed when the next one checks the windows.
    /// </summary>
    public int SigningLeaseSeconds { get; set; } = 600;

    public static void Validate(ApprovalOptions options, List<string> failures)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(failures);
        if (options.ExpirySeconds is < 60 or > 30 * 86_400)
            failures.Add("Keystore:Approvals:ExpirySeconds must be between 60 and 2592000 (30 days).");
        if (options.MaxPendingPerAccount is < 1 or > 10_000)
            failures.Add("Keystore:Approvals:MaxPendingPerAccount must be between 1 and 10000.");
        if (options.SweepIntervalSeconds is < 1 or > 86_400)
            failures.Add("Keystore:Approvals:SweepIntervalSeconds must be between 1 and 86400 (a day).");
        if (options.SigningLeaseSeconds is < 60 or > 86_400)
            failures.Add("Keystore:Approvals:SigningLeaseSeconds must be between 60 and 86400 (a day).");
    }
}
