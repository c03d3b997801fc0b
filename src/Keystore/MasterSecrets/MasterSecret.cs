using System.Security.Cryptography;

namespace Keystore.MasterSecrets;

/// <summary>
/// The 32-byte root of every key this keystore holds. It lives in one pinned array, never leaves it
/// (callers get HMACs keyed with it, not the bytes), and is zeroed on <see cref="Dispose"/>.
/// </summary>
public sealed class MasterSecret : IDisposable
{
    public const int Length = 32;

    private readonly byte[] _secret = GC.AllocateArray<byte>(Length, pinned: true);
    private readonly Lock _gate = new();
    private bool _disposed;

    /// <param name="secret">Copied; the caller wipes its own buffer.</param>
    public MasterSecret(ReadOnlySpan<byte> secret)
    {
        if (secret.Length != Length)
            throw new ArgumentException($"A master secret is {Length} bytes.", nameof(secret));
        secret.CopyTo(_secret);
    }

    /// <summary>HMAC-SHA256 keyed with the secret: the only thing derivation needs from it.</summary>
    public void HmacSha256(ReadOnlySpan<byte> message, Span<byte> destination32)
    {
        // The lock keeps Dispose from zeroing the bytes while a derivation reads them.
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            HMACSHA256.HashData(_secret, message, destination32);
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed) return;
            CryptographicOperations.ZeroMemory(_secret);
            _disposed = true;
        }
    }

    public override string ToString() => "MasterSecret([redacted])";
}
