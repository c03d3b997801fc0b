using Keystore.Problems;

namespace Keystore.Export;

/// <summary>The problem types only the export route answers with.</summary>
public static class ExportProblemTypes
{
    public static readonly ProblemType InvalidRecipient = new("invalid-recipient", 400, "Not a valid age X25519 recipient");
    public static readonly ProblemType InvalidExport = new("invalid-export", 400, "The export request is malformed");
    public static readonly ProblemType ExportRateLimited = new("export-rate-limited", 429, "Too many exports for this account");
}
