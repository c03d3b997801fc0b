using System.Security.Cryptography;

namespace Keystore.Chains;

/// <summary>
/// A private key that lives for one operation. Its bytes sit in a pinned array so the GC never
/// leaves copies behind, and <see cref="Dispose"/> zeroes them. Never log or serialize it.
/// </summary>
public sealed class SigningKey : IDisposable
{
    private readonly byte[] _privateKey;
    private readonly byte[] _publicKey;
    private bool _disposed;

    /// <param name="curve">The curve the key belongs to.</param>
    /// <param name="privateKey">32 bytes: a secp256k1 scalar or an ed25519 seed. Copied; the caller wipes its own copy.</param>
    /// <param name="publicKey">secp256k1: 33-byte compressed; ed25519: 32 bytes.</param>
    public SigningKey(KeyCurve curve, ReadOnlySpan<byte> privateKey, ReadOnlySpan<byte> publicKey)
    {
        if (privateKey.Length != 32)
            throw new ArgumentException("A private key is 32 bytes.", nameof(privateKey));
        int expected = curve == KeyCurve.Secp256k1 ? 33 : 32;
        if (publicKey.Length != expected)
            throw new ArgumentException($"A {curve} public key is {expected} bytes.", nameof(publicKey));
        Curve = curve;
        _privateKey = GC.AllocateArray<byte>(32, pinned: true);
        privateKey.CopyTo(_privateKey);
        _publicKey = publicKey.ToArray();
    }

    public KeyCurve Curve { get; }

    /// <summary>The 32 secret bytes. Throws once the key has been disposed.</summary>
    public ReadOnlySpan<byte> PrivateKey
    {
        get
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return _privateKey;
        }
    }

    /// <summary>secp256k1: 33-byte compressed SEC1; ed25519: 32 bytes.</summary>
    public ReadOnlySpan<byte> PublicKey => _publicKey;

    public void Dispose()
    {
        if (_disposed) return;
        CryptographicOperations.ZeroMemory(_privateKey);
        _disposed = true;
    }

    /// <summary>Never print key material.</summary>
    public override string ToString() => $"SigningKey({Curve}, [redacted])";
}
