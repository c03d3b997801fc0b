using Keystore.Attestation.EventLog;

namespace Keystore.Attestation.Tee;

/// <summary>A quote with the event log that explains its RTMRs (parsed and as the raw JSON the TEE returned).</summary>
public sealed record TeeQuote(byte[] Quote, DstackEventLog EventLog, byte[] ReportData, string? VmConfig)
{
    public string EventLogJson => EventLog.RawJson;
}
