using Keystore.Near.Encoding;

namespace Keystore.Near.Keys;

/// <summary>An ed25519 public key in NEAR's text form <c>ed25519:&lt;base58 32 bytes&gt;</c>.</summary>
public sealed class Ed25519PublicKey : IEquatable<Ed25519PublicKey>
{
    public const string Prefix = "ed25519:";
    private readonly byte[] _bytes;

    public Ed25519PublicKey(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length != 32) throw new ArgumentException("An ed25519 public key is 32 bytes.", nameof(bytes));
        _bytes = bytes.ToArray();
    }

    public ReadOnlyMemory<byte> Bytes => _bytes;

    public static Ed25519PublicKey Parse(string text) =>
        TryParse(text, out var key) ? key : throw new FormatException("Invalid NEAR ed25519 public key (expected ed25519:<base58 of 32 bytes>).");

    public static bool TryParse(string? text, out Ed25519PublicKey key)
    {
        key = null!;
        if (text is null) return false;
        // near-cli and RPC always write the prefix; a bare base58 key is accepted as ed25519 like near-api-js does.
        string body = text.StartsWith(Prefix, StringComparison.Ordinal) ? text[Prefix.Length..] : text.Contains(':') ? "" : text;
        if (body.Length == 0 || !Base58.TryDecode(body, out var bytes) || bytes.Length != 32) return false;
        key = new Ed25519PublicKey(bytes);
        return true;
    }

    public bool Verify(ReadOnlySpan<byte> message, ReadOnlySpan<byte> signature)
    {
        var algorithm = NSec.Cryptography.SignatureAlgorithm.Ed25519;
        if (signature.Length != 64) return false;
        if (!NSec.Cryptography.PublicKey.TryImport(algorithm, _bytes, NSec.Cryptography.KeyBlobFormat.RawPublicKey, out var pk) || pk is null) return false;
        return algorithm.Verify(pk, message, signature);
    }

    public override string ToString() => Prefix + Base58.Encode(_bytes);
    public bool Equals(Ed25519PublicKey? other) => other is not null && _bytes.AsSpan().SequenceEqual(other._bytes);
    public override bool Equals(object? obj) => Equals(obj as Ed25519PublicKey);
    public override int GetHashCode() => BitConverter.ToInt32(_bytes, 0);
}
