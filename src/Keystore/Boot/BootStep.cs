namespace Keystore.Boot;

[System.Text.Json.Serialization.JsonConverter(typeof(System.Text.Json.Serialization.JsonStringEnumConverter<BootStepState>))]
public enum BootStepState { Pending, Running, Waiting, Done, Failed }

/// <summary>One step of the boot sequence as <c>/v1/ready</c> shows it. Errors here are safe to publish.</summary>
public sealed record BootStep(string Name, BootStepState State, string? Detail, string? LastError, int Attempts, DateTimeOffset UpdatedAt);
