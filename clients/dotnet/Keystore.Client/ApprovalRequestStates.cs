namespace Keystore.Client;

/// <summary>The states of an <see cref="ApprovalRequest"/> as the keystore writes them.</summary>
public static class ApprovalRequestStates
{
    /// <summary>Waiting for votes.</summary>
    public const string Pending = "pending";
    /// <summary>Enough approvals: the keystore is checking the policy again and signing.</summary>
    public const string Signing = "signing";
    public const string Signed = "signed";
    /// <summary>An approved export was produced (its result is shown to the owner only).</summary>
    public const string Exported = "exported";
    /// <summary>The policy check at the last approval refused it (<see cref="ApprovalRequest.DeniedRule"/> names the rule).</summary>
    public const string Denied = "denied";
    /// <summary>The chain refused to sign the body when it was finally signed.</summary>
    public const string Failed = "failed";
    public const string Rejected = "rejected";
    public const string Cancelled = "cancelled";
    public const string Expired = "expired";
}
