using System.Text.Json;
using NSec.Cryptography;

namespace Keystore.Client;

/// <summary>
/// A NEAR ed25519 key: from <c>ed25519:&lt;base58 of 64 bytes&gt;</c> (what NEAR CLI credential files and near-api-js
/// hold: seed ‖ public key), from a bare 32-byte seed, or from a NEAR CLI credentials file. Its secret never appears in
/// an exception message.
/// </summary>
public sealed class NearKeyPair : IDisposable
{
    private readonly Key _key;

    private NearKeyPair(Key key)
    {
        _key = key;
        PublicKeyBytes = key.PublicKey.Export(KeyBlobFormat.RawPublicKey);
        PublicKey = "ed25519:" + Base58.Encode(PublicKeyBytes);
    }

    /// <summary><c>ed25519:&lt;base58&gt;</c>, as NEAR writes it.</summary>
    public string PublicKey { get; }

    public byte[] PublicKeyBytes { get; }

    /// <summary>A fresh random key (the OS CSPRNG).</summary>
    public static NearKeyPair Generate() =>
        new(Key.Create(SignatureAlgorithm.Ed25519, new KeyCreationParameters { ExportPolicy = KeyExportPolicies.None }));

    public static NearKeyPair FromSeed(ReadOnlySpan<byte> seed)
    {
        if (seed.Length != 32) throw new FormatException("An ed25519 seed is 32 bytes.");
        return new(Key.Import(SignatureAlgorithm.Ed25519, seed, KeyBlobFormat.RawPrivateKey));
    }

    /// <summary>
    /// <c>ed25519:&lt;base58&gt;</c> of 64 bytes (seed ‖ public key, checked to match) or of a 32-byte seed.
    /// </summary>
    public static NearKeyPair FromSecretKey(string secretKey)
    {
        ArgumentNullException.ThrowIfNull(secretKey);
        const string prefix = "ed25519:";
        if (!secretKey.StartsWith(prefix, StringComparison.Ordinal))
            throw new FormatException("A NEAR secret key starts with 'ed25519:'.");
        byte[] bytes;
        try
        {
            bytes = Base58.Decode(secretKey[prefix.Length..]);
        }
        catch (FormatException)
        {
            throw new FormatException("The NEAR secret key is not base58.");
        }
        try
        {
            if (bytes.Length == 32) return FromSeed(bytes);
            if (bytes.Length != 64) throw new FormatException("A NEAR ed25519 secret key is 64 bytes (seed and public key) or a 32-byte seed.");
            NearKeyPair pair = FromSeed(bytes.AsSpan(0, 32));
            if (!pair.PublicKeyBytes.AsSpan().SequenceEqual(bytes.AsSpan(32)))
            {
                pair.Dispose();
                throw new FormatException("The NEAR secret key's public half does not match its seed.");
            }
            return pair;
        }
        finally
        {
            System.Security.Cryptography.CryptographicOperations.ZeroMemory(bytes);
        }
    }

    /// <summary>
    /// A NEAR CLI credentials file (<c>~/.near-credentials/&lt;network&gt;/&lt;account&gt;.json</c>:
    /// <c>{"account_id", "public_key", "private_key"}</c>); returns the account with its key.
    /// </summary>
    public static (string AccountId, NearKeyPair KeyPair) FromCredentialsFile(string path)
    {
        using JsonDocument document = JsonDocument.Parse(File.ReadAllText(path));
        JsonElement root = document.RootElement;
        string? account = root.TryGetProperty("account_id", out JsonElement a) ? a.GetString() : null;
        string? secret = root.TryGetProperty("private_key", out JsonElement k) ? k.GetString()
            : root.TryGetProperty("secret_key", out JsonElement s) ? s.GetString() : null;
        if (account is null || secret is null)
            throw new FormatException($"'{path}' is not a NEAR CLI credentials file (account_id and private_key).");
        try
        {
            return (account, FromSecretKey(secret));
        }
        catch (FormatException e)
        {
            throw new FormatException($"The private_key in '{path}' is not usable: {e.Message}");
        }
    }

    /// <summary>An ed25519 signature of <paramref name="data"/>.</summary>
    public byte[] Sign(ReadOnlySpan<byte> data) => SignatureAlgorithm.Ed25519.Sign(_key, data);

    public void Dispose() => _key.Dispose();
}
