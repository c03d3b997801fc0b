namespace Keystore.Export;

/// <summary>A policy's answer to an export: allowed, or refused with a reason the caller may read.</summary>
public sealed record ExportVerdict(bool Allowed, string? Reason)
{
    public static readonly ExportVerdict Allow = new(true, null);

    public static ExportVerdict Deny(string reason) => new(false, reason);
}
