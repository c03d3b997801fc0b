namespace Keystore.Export;

/// <summary>
/// The default policy: the account's owner (a full-access key, already checked by the authenticator) may export;
/// the README promises keys are exportable, and there is no per-account policy store yet to say otherwise.
/// </summary>
public sealed class OwnerExportPolicy : IExportPolicy
{
    public ValueTask<ExportVerdict> EvaluateAsync(ExportContext context, CancellationToken cancellationToken) =>
        ValueTask.FromResult(ExportVerdict.Allow);
}
