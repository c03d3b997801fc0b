namespace Keystore.Bindings;

[System.Text.Json.Serialization.JsonConverter(typeof(Boot.LowercaseEnumConverter<BindingState>))]
public enum BindingState
{
    /// <summary>This instance cannot publish (not a DAO worker, or <c>Keystore:Near:RegisterBindings</c> is off).</summary>
    Disabled,

    /// <summary>Not checked or published by this instance yet: only the account's owner starts that (it costs the DAO gas).</summary>
    Unchecked,

    Pending,
    Registered,
    Failed,
}

/// <summary>Whether an address is published in chain-keys; <see cref="Error"/> is public contract or RPC output.</summary>
public sealed record BindingStatus(BindingState State, string? Registry, string? Error = null);
