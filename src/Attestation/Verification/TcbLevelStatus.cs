namespace Keystore.Attestation.Verification;

/// <summary>A status with its advisories; merging converges the statuses as Intel does and keeps the union of advisories.</summary>
public sealed record TcbLevelStatus(TcbStatus Status, IReadOnlyList<string> AdvisoryIds)
{
    /// <summary>
    /// Converges this platform status with the status of a component judged on its own (the QE identity level, the
    /// TDX module identity level), as Intel's QVL does (<c>convergeTcbStatusWithQeTcbStatus</c>,
    /// <c>convergeTcbStatusWithTdxModuleStatus</c>): an OutOfDate component on a platform that needs configuration
    /// gives OutOfDateConfigurationNeeded, where taking the worse of the two would drop the configuration need.
    /// Any other pair keeps the worse status.
    /// </summary>
    public TcbLevelStatus Merge(TcbLevelStatus other)
    {
        var status = (Status, other.Status) switch
        {
            (TcbStatus.ConfigurationNeeded or TcbStatus.ConfigurationAndSWHardeningNeeded, TcbStatus.OutOfDate) => TcbStatus.OutOfDateConfigurationNeeded,
            var (mine, theirs) => theirs > mine ? theirs : mine,
        };
        return new(status, AdvisoryIds.Concat(other.AdvisoryIds).Distinct().ToArray());
    }

    internal static TcbStatus ParseStatus(string s, string check) =>
        Enum.TryParse<TcbStatus>(s, ignoreCase: false, out var v) && Enum.IsDefined(v)
            ? v
            : throw new QuoteVerificationException(check, $"unknown TCB status '{s}'");
}
