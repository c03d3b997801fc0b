using System.Security.Cryptography;

namespace Keystore.Near.Ckd;

/// <summary>
/// The secret a CKD exchange derived, in one pinned buffer (the GC never moves it, so no stale copy is left
/// behind) that <see cref="Dispose"/> zeroes. The owner copies it where it belongs (the keystore: into its
/// <c>MasterSecret</c>) and disposes this at once.
/// </summary>
public sealed class CkdSecret : IDisposable
{
    private readonly byte[] _secret;
    private bool _disposed;

    internal CkdSecret(int length) => _secret = GC.AllocateArray<byte>(length, pinned: true);

    public int Length => _secret.Length;

    /// <summary>The secret bytes, valid until <see cref="Dispose"/>.</summary>
    public ReadOnlySpan<byte> Span => Live;

    internal Span<byte> Writable => Live;

    private byte[] Live
    {
        get
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return _secret;
        }
    }

    public void Dispose()
    {
        if (_disposed) return;
        CryptographicOperations.ZeroMemory(_secret);
        _disposed = true;
    }

    public override string ToString() => $"CkdSecret({_secret.Length} bytes, [redacted])";
}
