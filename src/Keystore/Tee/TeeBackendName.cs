namespace Keystore.Tee;

/// <summary>The name under which a TEE backend is registered (validated without constructing it).</summary>
public sealed record TeeBackendName(string Name);
