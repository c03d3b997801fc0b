using Keystore.Near.Keys;

namespace Keystore.Auth;

/// <summary>Which public keys may act for a NEAR account: its full-access keys.</summary>
public interface IOwnerKeySource
{
    /// <summary>The account's full-access ed25519 keys, typed; empty when unknown.</summary>
    Task<IReadOnlySet<Ed25519PublicKey>> GetFullAccessKeysAsync(string accountId, CancellationToken cancellationToken);
}
