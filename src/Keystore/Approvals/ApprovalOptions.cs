namespace Keystore.Approvals;

/// <summary>The <c>Keystore:Approvals</c> section: how long a request waits for its approvers, and when rejections end it.</summary>
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

    public static void Validate(ApprovalOptions options, List<string> failures)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(failures);
        if (options.ExpirySeconds is < 60 or > 30 * 86_400)
            failures.Add("Keystore:Approvals:ExpirySeconds must be between 60 and 2592000 (30 days).");
        if (options.MaxPendingPerAccount is < 1 or > 10_000)
            failures.Add("Keystore:Approvals:MaxPendingPerAccount must be between 1 and 10000.");
    }
}
