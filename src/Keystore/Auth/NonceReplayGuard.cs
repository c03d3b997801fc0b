using System.Security.Cryptography;
using Keystore.Caching;
using Keystore.Configuration;
using Microsoft.Extensions.Options;

namespace Keystore.Auth;

/// <summary>
/// Remembers every (public key, nonce) accepted while its request could still pass the timestamp check,
/// so a captured request cannot be sent twice. Bounded: when every slot holds a nonce still inside its
/// window, new requests are refused (<see cref="NonceUse.Busy"/>) rather than a live nonce forgotten,
/// which would re-open replay. Only requests that passed signature and ownership checks get this far.
/// </summary>
public sealed class NonceReplayGuard(IOptions<KeystoreOptions> options, TimeProvider time)
{
    private readonly BoundedCache<UInt128, bool> _seen = new(options.Value.Auth.NonceCapacity, TimeSpan.Zero, time);

    /// <summary>
    /// Records the nonce of a request stamped <paramref name="timestampMs"/>. It is kept until
    /// <c>timestampMs + window</c>: after that the timestamp check refuses the request anyway.
    /// </summary>
    public NonceUse TryUse(ReadOnlySpan<byte> publicKey, ReadOnlySpan<byte> nonce, long timestampMs, TimeSpan window)
    {
        // 128 bits of SHA-256 name the pair: small entries, and a collision (2^-64 at 2^32 entries) only refuses a request.
        Span<byte> digest = stackalloc byte[32];
        using (var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256))
        {
            sha.AppendData(publicKey);
            sha.AppendData(nonce);
            sha.GetHashAndReset(digest);
        }
        var key = new UInt128(BitConverter.ToUInt64(digest), BitConverter.ToUInt64(digest[8..]));
        DateTimeOffset expires = DateTimeOffset.FromUnixTimeMilliseconds(timestampMs) + window;
        return _seen.TryAdd(key, true, expires) switch
        {
            CacheAddResult.Added => NonceUse.Accepted,
            CacheAddResult.Exists => NonceUse.Replayed,
            _ => NonceUse.Busy,
        };
    }
}
