namespace Keystore.Auth;

/// <summary>The outcome of presenting a nonce to the <see cref="NonceReplayGuard"/>.</summary>
public enum NonceUse
{
    Accepted,
    Replayed,

    /// <summary>The guard holds as many live nonces as it may; the request is refused, nothing forgotten.</summary>
    Busy,
}
