using Keystore.State;

namespace Keystore.Auth;

/// <summary>
/// Remembers every (public key, nonce) accepted while its request could still pass the timestamp check, so a captured
/// request cannot be sent twice: not to this instance, not after a restart, not to another instance sharing the state
/// store (<see cref="NonceStore"/>). Bounded per account's owners and per agent key: when a share holds as many live nonces as
/// it may, its new requests are refused (<see cref="NonceUse.Busy"/>) rather than a live nonce forgotten, which would re-open replay.
/// Only requests that passed the signature and ownership checks get this far.
/// </summary>
public sealed class NonceReplayGuard(NonceStore store)
{
    /// <summary>
    /// Records the nonce of a request stamped <paramref name="timestampMs"/>. It is kept until
    /// <c>timestampMs + window</c>: after that the timestamp check refuses the request anyway.
    /// </summary>
    /// <param name="agentKey">
    /// Whether <paramref name="publicKey"/> is an agent key of the account: each agent key's nonces are bounded on their own,
    /// apart from the owners' share, so no agent can use up the nonces its owner needs to freeze the account or revoke it.
    /// </param>
    public Task<NonceUse> TryUseAsync(string account, byte[] publicKey, bool agentKey, byte[] nonce, long timestampMs, TimeSpan window, int capacityPerAccount,
        CancellationToken cancellationToken) =>
        store.TryUseAsync(account, publicKey, agentKey, nonce, DateTimeOffset.FromUnixTimeMilliseconds(timestampMs) + window, capacityPerAccount, cancellationToken);
}
