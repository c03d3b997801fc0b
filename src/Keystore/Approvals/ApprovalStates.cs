namespace Keystore.Approvals;

/// <summary>The states of a request waiting for approvals, as written in answers (stable: clients switch on them).</summary>
public static class ApprovalStates
{
    /// <summary>Waiting for votes.</summary>
    public const string Pending = "pending";
    /// <summary>Enough approvals: one instance is re-checking the policy and signing it.</summary>
    public const string Signing = "signing";
    public const string Signed = "signed";
    /// <summary>An approved export was produced: its result holds the age ciphertext (shown to the owner only).</summary>
    public const string Exported = "exported";
    /// <summary>The re-check at the last approval refused it (the rule is named).</summary>
    public const string Denied = "denied";
    /// <summary>The chain refused to sign the body when it was finally signed.</summary>
    public const string Failed = "failed";
    public const string Rejected = "rejected";
    public const string Cancelled = "cancelled";
    public const string Expired = "expired";

    /// <summary>Whether the request still holds a place among the account's open requests.</summary>
    public static bool IsOpen(string state) => state is Pending or Signing;
}
