using System.Buffers;
using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;

namespace Keystore.Chains;

/// <summary>
/// BIP340 tagged hash: <c>SHA256(SHA256(tag) ‖ SHA256(tag) ‖ data)</c>. Tags domain-separate the
/// hashes used by Schnorr signatures and Taproot (TapTweak, TapSighash, …).
/// </summary>
public static class TaggedHash
{
    private static readonly ConcurrentDictionary<string, byte[]> Prefixes = new(StringComparer.Ordinal);

    /// <summary>Writes the 32-byte tagged hash of <paramref name="data"/> into <paramref name="destination"/>.</summary>
    public static void Compute(string tag, ReadOnlySpan<byte> data, Span<byte> destination)
    {
        if (destination.Length < 32) throw new ArgumentException("The destination needs 32 bytes.", nameof(destination));
        byte[] prefix = Prefixes.GetOrAdd(tag, static t =>
        {
            byte[] tagHash = SHA256.HashData(Encoding.UTF8.GetBytes(t));
            return [.. tagHash, .. tagHash];
        });

        int total = prefix.Length + data.Length;
        byte[]? rented = null;
        // Sighash preimages are a few hundred bytes; only unusual inputs go to the pool.
        Span<byte> buffer = total <= 1024 ? stackalloc byte[1024] : (rented = ArrayPool<byte>.Shared.Rent(total));
        try
        {
            prefix.CopyTo(buffer);
            data.CopyTo(buffer[prefix.Length..]);
            SHA256.HashData(buffer[..total], destination);
        }
        finally
        {
            // The data may be secret (BIP340 nonce derivation inputs are not hashed here, but callers
            // should not have to know that).
            CryptographicOperations.ZeroMemory(buffer[..total]);
            if (rented is not null) ArrayPool<byte>.Shared.Return(rented);
        }
    }

    /// <summary>Returns the 32-byte tagged hash of <paramref name="data"/>.</summary>
    public static byte[] Compute(string tag, ReadOnlySpan<byte> data)
    {
        var result = new byte[32];
        Compute(tag, data, result);
        return result;
    }
}
