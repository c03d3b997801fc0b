namespace Keystore.Auth;

/// <summary>Which public keys may act for a NEAR account: its full-access keys.</summary>
public interface IOwnerKeySource
{
    /// <summary>The account's full-access ed25519 keys as <c>ed25519:&lt;base58&gt;</c>; empty when unknown.</summary>
    Task<IReadOnlyCollection<string>> GetFullAccessKeysAsync(string accountId, CancellationToken cancellationToken);
}
