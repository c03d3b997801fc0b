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
/// Whoever answers <c>view_access_key_list</c> decides who owns an account: with <c>Keystore:Auth:OwnerKeyCrossCheck</c>
/// every configured endpoint is asked and the answer counts only when they all give the same keys.
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
        if (options.Value.Auth.OwnerKeyCrossCheck)
        {
            FrozenSet<Ed25519PublicKey>[] answers = await Task.WhenAll(near.EachEndpoint.Select(rpc => ReadAsync(rpc, accountId, cancellationToken))).ConfigureAwait(false);
            keys = answers[0];
            // Not cached: honest endpoints a block apart agree again within seconds, and until then nobody is let in on one's word.
            if (answers.Any(a => !a.SetEquals(keys)))
                throw new Problems.ProblemException(Problems.ProblemTypes.OwnerKeysUnavailable,
                    $"The NEAR RPC endpoints do not list the same full-access keys for {accountId}; its owners are authenticated again once they agree.");
        }
        else
        {
            keys = await ReadAsync(near.Rpc, accountId, cancellationToken).ConfigureAwait(false);
        }
        _cache.Set(accountId, keys);
        return keys;
    }

    private static async Task<FrozenSet<Ed25519PublicKey>> ReadAsync(NearRpcClient rpc, string accountId, CancellationToken cancellationToken)
    {
        try
        {
            IReadOnlyList<AccessKeyView> list = await rpc.ViewAccessKeyListAsync(accountId, cancellationToken).ConfigureAwait(false);
            // secp256k1 full-access keys cannot sign NEP-413 requests here; only ed25519 ones can own.
            return list.Where(k => k.IsFullAccess)
                .Select(k => Ed25519PublicKey.TryParse(k.PublicKey, out Ed25519PublicKey key) ? key : null)
                .OfType<Ed25519PublicKey>()
                .ToFrozenSet();
        }
        catch (UnknownAccountException)
        {
            return FrozenSet<Ed25519PublicKey>.Empty;
        }
        catch (Exception ex) when (NearFaults.IsFault(ex))
        {
            // Fail closed: without the key list nobody is authenticated, and nothing is signed.
            throw new Problems.ProblemException(Problems.ProblemTypes.OwnerKeysUnavailable, $"NEAR RPC: {ex.Message}");
        }
    }
}
