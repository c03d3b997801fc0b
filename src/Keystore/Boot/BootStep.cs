namespace Keystore.Boot;

[System.Text.Json.Serialization.JsonConverter(typeof(LowercaseEnumConverter<BootStepState>))]
public enum BootStepState { Pending, Running, Waiting, Done, Failed }

/// <summary>Enum values on the wire as lowercase words (<c>"done"</c>, <c>"waiting"</c>), like every other API string.</summary>
public sealed class LowercaseEnumConverter<TEnum>() : System.Text.Json.Serialization.JsonStringEnumConverter<TEnum>(System.Text.Json.JsonNamingPolicy.CamelCase)
    where TEnum : struct, Enum;

/// <summary>One step of the boot sequence as <c>/v1/ready</c> shows it. Errors here are safe to publish.</summary>
public sealed record BootStep(string Name, BootStepState State, string? Detail, string? LastError, int Attempts, DateTimeOffset UpdatedAt);
