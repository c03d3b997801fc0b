namespace Keystore.Approvals;

/// <summary>What waits for approvals besides chain sign requests, written in a request's <c>chain</c> member.</summary>
public static class ApprovalKinds
{
    /// <summary>A key export (<c>POST /v1/accounts/{a}/export</c>) the account policy's <c>export.approvals</c> holds back; its result is for the owner only.</summary>
    public const string Export = "export";
}
