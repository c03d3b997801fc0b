using System.Text.Json.Serialization;

namespace Keystore.Attestation.Dstack;

/// <summary>Guest agent <c>Info</c> answer; <see cref="TcbInfo"/> is itself a JSON string (mrtd, rtmr0-3, event_log, …).</summary>
public sealed record InfoResponse(
    [property: JsonPropertyName("app_id")] string AppId,
    [property: JsonPropertyName("instance_id")] string InstanceId,
    [property: JsonPropertyName("app_name")] string? AppName,
    [property: JsonPropertyName("device_id")] string? DeviceId,
    [property: JsonPropertyName("tcb_info")] string TcbInfo,
    [property: JsonPropertyName("compose_hash")] string? ComposeHash,
    [property: JsonPropertyName("os_image_hash")] string? OsImageHash,
    [property: JsonPropertyName("key_provider_info")] string? KeyProviderInfo,
    [property: JsonPropertyName("app_cert")] string? AppCert);
