namespace Keystore.Client;

/// <summary>Whether the address is published in chain-keys: <c>unchecked</c>, <c>pending</c>, <c>registered</c>, <c>failed</c> or <c>disabled</c>.</summary>
public sealed record KeyBinding(string State, string? Registry, string? Error);
