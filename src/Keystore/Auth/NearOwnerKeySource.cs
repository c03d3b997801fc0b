using System.Collections.Frozen;
using Keystore.Caching;
using Keystore.Configuration;
using Keystore.Dao;
using Keystore.Near.Keys;
using Keystore.Near.Rpc;
using Microsoft.Extensions.Options;

namespace Keystore.Auth;

/// <summary>
/// Owners from the chain: the account's full-access keys (<c>view_access_key_list</c>), cached briefly so a
/// burst of requests costs one RPC call while a removed key stops working quickly. Accounts with no such key
/// (or no account at all) are cached too, so requests naming them cannot drive one RPC call each; the cache
/// is bounded by <c>Keystore:Auth:OwnerKeyCacheCapacity</c>.
/// </summary>
public sealed class NearOwnerKeySource(NearConnection near, IOptions<KeystoreOptions> options, TimeProvider time) : IOwnerKeySource
{
    private readonly BoundedCache<string, FrozenSet<Ed25519PublicKey>> _cache =
        new(options.Value.Auth.OwnerKeyCacheCapacity, options.Value.Auth.OwnerKeyCacheTtl, time, StringComparer.Ordinal);

    public async Task<IReadOnlySet<Ed25519PublicKey>> GetFullAccessKeysAsync(string accountId, CancellationToken cancellationToken)
    {
        if (_cache.TryGetValue(accountId, out FrozenSet<Ed25519PublicKey>? cached))
            return cached;
        FrozenSet<Ed25519PublicKey> keys;
        try
        {
            IReadOnlyList<AccessKeyView> list = await near.Rpc.ViewAccessKeyListAsync(accountId, cancellationToken).ConfigureAwait(false);
            // secp256k1 full-access keys cannot sign NEP-413 requests here; only ed25519 ones can own.
            keys = list.Where(k => k.IsFullAccess)
                .Select(k => Ed25519PublicKey.TryParse(k.PublicKey, out Ed25519PublicKey key) ? key : null)
                .OfType<Ed25519PublicKey>()
                .ToFrozenSet();
        }
        catch (UnknownAccountException)
        {
            keys = FrozenSet<Ed25519PublicKey>.Empty;
        }
        catch (Exception ex) when (NearFaults.IsFault(ex))
        {
            // Fail closed: without the key list nobody is authenticated, and nothing is signed.
            throw new Problems.ProblemException(Problems.ProblemTypes.OwnerKeysUnavailable, $"NEAR RPC: {ex.Message}");
        }
        _cache.Set(accountId, keys);
        return keys;
    }
}
