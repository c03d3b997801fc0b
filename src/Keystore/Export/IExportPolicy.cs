namespace Keystore.Export;

/// <summary>
/// Decides whether an authenticated owner's export may go ahead, at once or after approvals. The route asks it after
/// authentication and before any key is derived, and the approvals ask it again at the last approval.
/// <see cref="AccountPolicyExportPolicy"/> reads the account policy's <c>export</c> member.
/// </summary>
public interface IExportPolicy
{
    ValueTask<ExportVerdict> EvaluateAsync(ExportContext context, CancellationToken cancellationToken);
}
