namespace Keystore.Bindings;

[System.Text.Json.Serialization.JsonConverter(typeof(Boot.LowercaseEnumConverter<BindingState>))]
public enum BindingState { Disabled, Pending, Registered, Failed }

/// <summary>Whether an address is published in chain-keys; <see cref="Error"/> is public contract or RPC output.</summary>
public sealed record BindingStatus(BindingState State, string? Registry, string? Error = null);
