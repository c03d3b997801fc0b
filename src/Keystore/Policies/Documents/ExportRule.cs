namespace Keystore.Policies.Documents;

/// <summary>
/// An account policy's <c>export</c> member: <c>{"allowed": false}</c> forbids <c>POST /v1/accounts/{a}/export</c>;
/// <c>{"allowed": true, "approvals": {"required": m, "approvers": [...]}}</c> makes every export wait for m of the approvers.
/// </summary>
public sealed record ExportRule(bool Allowed, ExportApprovals? Approvals);

/// <summary>The m-of-n approvers an export waits for (NEAR accounts, each approving with one of its full-access keys).</summary>
public sealed record ExportApprovals(int Required, IReadOnlyList<string> Approvers);
