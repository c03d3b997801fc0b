namespace Keystore.Attestation.Verification;

/// <summary>A status with its advisories; merging keeps the worse status and the union of advisories (Intel appraisal rule).</summary>
public sealed record TcbLevelStatus(TcbStatus Status, IReadOnlyList<string> AdvisoryIds)
{
    public TcbLevelStatus Merge(TcbLevelStatus other) =>
        new(other.Status > Status ? other.Status : Status, AdvisoryIds.Concat(other.AdvisoryIds).Distinct().ToArray());

    internal static TcbStatus ParseStatus(string s, string check) =>
        Enum.TryParse<TcbStatus>(s, ignoreCase: false, out var v) && Enum.IsDefined(v)
            ? v
            : throw new QuoteVerificationException(check, $"unknown TCB status '{s}'");
}
