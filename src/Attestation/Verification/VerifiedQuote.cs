using Keystore.Attestation.Quotes;

namespace Keystore.Attestation.Verification;

/// <summary>The outcome of a successful DCAP verification.</summary>
public sealed record VerifiedQuote(
    TcbStatus Status,
    IReadOnlyList<string> AdvisoryIds,
    TdReport Report,
    byte[] Ppid,
    byte[] Fmspc,
    TdxQuote Quote);
