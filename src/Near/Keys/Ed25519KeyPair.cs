using System.Security.Cryptography;
using Keystore.Near.Encoding;
using NSec.Cryptography;

namespace Keystore.Near.Keys;

/// <summary>
/// An ed25519 signing key (libsodium through NSec). Text form as near-cli stores it:
/// <c>ed25519:&lt;base58 of seed(32) ‖ public key(32)&gt;</c>. ToString never reveals the secret.
/// </summary>
public sealed class Ed25519KeyPair : IDisposable
{
    private static readonly SignatureAlgorithm Algorithm = SignatureAlgorithm.Ed25519;
    private readonly Key _key;

    private Ed25519KeyPair(Key key)
    {
        _key = key;
        PublicKey = new Ed25519PublicKey(key.PublicKey.Export(KeyBlobFormat.RawPublicKey));
    }

    public Ed25519PublicKey PublicKey { get; }

    public static Ed25519KeyPair Generate() =>
        new(Key.Create(Algorithm, new KeyCreationParameters { ExportPolicy = KeyExportPolicies.AllowPlaintextExport }));

    /// <summary>A key whose secret half can never leave libsodium's memory (a TEE worker's key).</summary>
    public static Ed25519KeyPair GenerateNonExportable() =>
        new(Key.Create(Algorithm, new KeyCreationParameters { ExportPolicy = KeyExportPolicies.None }));

    public static Ed25519KeyPair FromSeed(ReadOnlySpan<byte> seed)
    {
        if (seed.Length != 32) throw new ArgumentException("An ed25519 seed is 32 bytes.", nameof(seed));
        return new(Key.Import(Algorithm, seed, KeyBlobFormat.RawPrivateKey,
            new KeyCreationParameters { ExportPolicy = KeyExportPolicies.AllowPlaintextExport }));
    }

    /// <summary>Parses <c>ed25519:&lt;base58 64 bytes&gt;</c> (seed ‖ public key); the public half must match the seed.</summary>
    public static Ed25519KeyPair ParseSecretKey(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (!text.StartsWith(Ed25519PublicKey.Prefix, StringComparison.Ordinal) ||
            !Base58.TryDecode(text[Ed25519PublicKey.Prefix.Length..], out var bytes) || bytes.Length != 64)
            throw new FormatException("Invalid NEAR ed25519 secret key (expected ed25519:<base58 of 64 bytes>).");
        try
        {
            var pair = FromSeed(bytes.AsSpan(0, 32));
            if (!CryptographicOperations.FixedTimeEquals(pair.PublicKey.Bytes.Span, bytes.AsSpan(32)))
            {
                pair.Dispose();
                throw new FormatException("NEAR ed25519 secret key: the public half does not match the seed.");
            }
            return pair;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(bytes);
        }
    }

    /// <summary>The near-cli text form of the secret key. Handle as a secret.</summary>
    public string ExportSecretKey()
    {
        var buffer = new byte[64];
        try
        {
            _key.Export(KeyBlobFormat.RawPrivateKey).CopyTo(buffer, 0);
            PublicKey.Bytes.Span.CopyTo(buffer.AsSpan(32));
            return Ed25519PublicKey.Prefix + Base58.Encode(buffer);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(buffer);
        }
    }

    public byte[] Sign(ReadOnlySpan<byte> message) => Algorithm.Sign(_key, message);

    public override string ToString() => $"Ed25519KeyPair({PublicKey})";

    public void Dispose() => _key.Dispose();
}
