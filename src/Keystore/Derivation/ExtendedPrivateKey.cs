using System.Security.Cryptography;

namespace Keystore.Derivation;

/// <summary>
/// A private key with its chain code, as BIP32 and SLIP-0010 define them. Both halves live in one
/// pinned buffer that <see cref="Dispose"/> zeroes. It carries no public key: the curve decides how to
/// make one, so callers ask the derivation scheme for it.
/// </summary>
public sealed class ExtendedPrivateKey : IDisposable
{
    private readonly byte[] _material = GC.AllocateArray<byte>(64, pinned: true);
    private bool _disposed;

    internal ExtendedPrivateKey(ReadOnlySpan<byte> hmacOutput64, byte depth, uint childNumber)
    {
        hmacOutput64.CopyTo(_material);
        Depth = depth;
        ChildNumber = childNumber;
    }

    public ReadOnlySpan<byte> PrivateKey => Live[..32];

    public ReadOnlySpan<byte> ChainCode => Live[32..];

    public byte Depth { get; }

    public uint ChildNumber { get; }

    internal Span<byte> MutablePrivateKey => Live[..32];

    private Span<byte> Live
    {
        get
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return _material;
        }
    }

    public void Dispose()
    {
        if (_disposed) return;
        CryptographicOperations.ZeroMemory(_material);
        _disposed = true;
    }

    public override string ToString() => $"ExtendedPrivateKey(depth {Depth}, [redacted])";
}
