using System.Collections.Concurrent;

namespace Keystore.Auth;

/// <summary>
/// Remembers every (public key, nonce) accepted within the time window so a captured request
/// cannot be sent twice. Entries expire with the window; memory stays bounded by the request rate.
/// </summary>
public sealed class NonceReplayGuard(TimeProvider time)
{
    private readonly ConcurrentDictionary<string, long> _seen = new(StringComparer.Ordinal);
    private long _nextSweepMs;

    /// <summary>True the first time a nonce is presented, false on any replay. Thread-safe.</summary>
    public bool TryUse(string publicKey, ReadOnlySpan<byte> nonce, TimeSpan window)
    {
        long now = time.GetUtcNow().ToUnixTimeMilliseconds();
        Sweep(now);
        string key = publicKey + ":" + Convert.ToBase64String(nonce);
        // Remember it for two windows: a request stamped at the far edge stays replay-proof until it expires.
        return _seen.TryAdd(key, now + 2 * (long)window.TotalMilliseconds);
    }

    private void Sweep(long now)
    {
        long next = Interlocked.Read(ref _nextSweepMs);
        if (now < next || Interlocked.CompareExchange(ref _nextSweepMs, now + 10_000, next) != next)
            return;
        foreach ((string key, long expiry) in _seen)
            if (expiry < now)
                _seen.TryRemove(key, out _);
    }
}
