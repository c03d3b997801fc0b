using System.Text.Json.Serialization;

namespace Keystore.Attestation.Dstack;

/// <summary>Guest agent <c>GetQuote</c> answer: quote hex, event log as a JSON string, the report data, the VM config JSON.</summary>
public sealed record GetQuoteResponse(
    [property: JsonPropertyName("quote")] string Quote,
    [property: JsonPropertyName("event_log")] string EventLog,
    [property: JsonPropertyName("report_data")] string? ReportData,
    [property: JsonPropertyName("vm_config")] string? VmConfig);
