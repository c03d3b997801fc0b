namespace Keystore.Export;

/// <summary>
/// Decides whether an authenticated owner's export may go ahead. The route asks it after authentication and
/// before any key is derived. The account policies (which may forbid export or require approvals) plug in here
/// by registering their own implementation in place of <see cref="OwnerExportPolicy"/>.
/// </summary>
public interface IExportPolicy
{
    ValueTask<ExportVerdict> EvaluateAsync(ExportContext context, CancellationToken cancellationToken);
}
