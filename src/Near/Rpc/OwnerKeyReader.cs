using System.Collections.Concurrent;

namespace Keystore.Near.Rpc;

/// <summary>
/// Reads an account's full-access keys (its owners' keys) through view_access_key_list, cached for a short TTL
/// so authenticating a burst of owner requests costs one RPC call while key removals still take effect quickly.
/// </summary>
public sealed class OwnerKeyReader(NearRpcClient rpc, TimeSpan? ttl = null, TimeProvider? clock = null)
{
    private readonly TimeSpan _ttl = ttl ?? TimeSpan.FromSeconds(30);
    private readonly TimeProvider _clock = clock ?? TimeProvider.System;
    private readonly ConcurrentDictionary<string, (DateTimeOffset Expires, IReadOnlyList<string> Keys)> _cache = new();

    /// <summary>Full-access public keys (<c>ed25519:…</c>) of <paramref name="accountId"/>.</summary>
    public async Task<IReadOnlyList<string>> GetFullAccessKeysAsync(string accountId, CancellationToken ct = default)
    {
        var now = _clock.GetUtcNow();
        if (_cache.TryGetValue(accountId, out var entry) && entry.Expires > now) return entry.Keys;
        var keys = (await rpc.ViewAccessKeyListAsync(accountId, ct).ConfigureAwait(false))
            .Where(k => k.IsFullAccess).Select(k => k.PublicKey).ToList();
        _cache[accountId] = (now + _ttl, keys);
        return keys;
    }
}
