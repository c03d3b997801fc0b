using System.Security.Cryptography;
using NSec.Cryptography;

namespace Keystore.Chains;

/// <summary>
/// A private key bound to its curve, which derives its own public key (as NSec's <c>Key</c> does), so the two
/// halves can never disagree. The secret bytes sit in a pinned array so the GC never leaves copies behind;
/// an ed25519 key is imported into libsodium's guarded memory once, on first use; <see cref="Dispose"/>
/// zeroes and frees both. Used by one operation at a time; never log or serialize it.
/// </summary>
public sealed class SigningKey : IDisposable
{
    private readonly byte[] _privateKey = GC.AllocateArray<byte>(32, pinned: true);
    private readonly byte[] _publicKey;
    private readonly PublicKeyValues _publicValues;
    private Key? _ed25519;
    private bool _disposed;

    /// <param name="curve">The curve the key belongs to.</param>
    /// <param name="privateKey">32 bytes: a secp256k1 scalar in [1, n−1] or an ed25519 seed. Copied; the caller wipes its own copy.</param>
    /// <exception cref="ArgumentException">Not 32 bytes, or not a valid secp256k1 scalar.</exception>
    public SigningKey(KeyCurve curve, ReadOnlySpan<byte> privateKey)
    {
        if (privateKey.Length != 32)
            throw new ArgumentException("A private key is 32 bytes.", nameof(privateKey));
        Curve = curve;
        privateKey.CopyTo(_privateKey);
        _publicValues = new PublicKeyValues();
        switch (curve)
        {
            case KeyCurve.Secp256k1:
                _publicKey = new byte[33];
                try
                {
                    Secp256k1.GetPublicKey(_privateKey, _publicKey);
                }
                catch
                {
                    CryptographicOperations.ZeroMemory(_privateKey);
                    throw;
                }
                break;
            case KeyCurve.Ed25519:
                _ed25519 = ImportEd25519(_privateKey);
                _publicKey = _ed25519.PublicKey.Export(KeyBlobFormat.RawPublicKey);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(curve), curve, "Unknown curve.");
        }
    }

    /// <summary>A copy of a key whose halves already belong together: no public key (nor value derived from it) to compute again.</summary>
    private SigningKey(SigningKey source)
    {
        Curve = source.Curve;
        source.PrivateKey.CopyTo(_privateKey);
        _publicKey = source._publicKey;
        _publicValues = source._publicValues;
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

    /// <summary>
    /// A value that follows from the public key alone (an address, a Taproot output key), computed once and shared with
    /// every clone. <paramref name="compute"/> receives the public key's bytes and must not change them.
    /// </summary>
    internal T PublicValue<T>(Func<byte[], T> compute) where T : class => _publicValues.GetOrAdd(_publicKey, compute);

    /// <summary>The ed25519 key in libsodium's guarded memory, imported once for the life of this key.</summary>
    internal Key Ed25519Key
    {
        get
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (Curve != KeyCurve.Ed25519) throw new InvalidOperationException("Not an ed25519 key.");
            return _ed25519 ??= ImportEd25519(_privateKey);
        }
    }

    /// <summary>An independent copy (its own pinned buffer, disposed on its own).</summary>
    public SigningKey Clone()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return new SigningKey(this);
    }

    public void Dispose()
    {
        if (_disposed) return;
        CryptographicOperations.ZeroMemory(_privateKey);
        _ed25519?.Dispose();
        _disposed = true;
    }

    /// <summary>Never print key material.</summary>
    public override string ToString() => $"SigningKey({Curve}, [redacted])";

    private static Key ImportEd25519(ReadOnlySpan<byte> seed) =>
        Key.Import(SignatureAlgorithm.Ed25519, seed, KeyBlobFormat.RawPrivateKey,
            new KeyCreationParameters { ExportPolicy = KeyExportPolicies.None });
}
