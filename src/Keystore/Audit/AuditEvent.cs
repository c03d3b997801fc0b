namespace Keystore.Audit;

/// <summary>
/// One decision to record. Only what lets an owner recognise it: hashes of payloads, amounts, destinations and the rule,
/// never a secret or a whole payload.
/// </summary>
public sealed record AuditEvent(string Account, string Kind)
{
    /// <summary>The agent key that asked, or null for the owner.</summary>
    public string? Agent { get; init; }

    public string? Chain { get; init; }

    /// <summary>The rule that denied (or that was checked), when one did.</summary>
    public string? Rule { get; init; }

    /// <summary>SHA-256 of the request body that was signed or refused.</summary>
    public byte[]? PayloadHash { get; init; }

    /// <summary>What the request moves, as <c>asset id → amount</c> in the asset's base unit (as decoded from the payload, never the caller's word).</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Amounts { get; init; } = [];

    public IReadOnlyList<string> Destinations { get; init; } = [];

    /// <summary>A short public note (a policy version, a freeze flag).</summary>
    public string? Detail { get; init; }
}
