using System.Security.Cryptography;
using System.Text;
using Keystore.Boot;
using Keystore.MasterSecrets;
using Keystore.Near.Keys;
using NSec.Cryptography;

namespace Keystore.Audit;

/// <summary>
/// The key that signs audit entries: ed25519 with seed <c>HMAC-SHA256(master, "near-tee-keystore:v1:audit")</c>, so every
/// instance of a keystore (same master secret) signs with the same key, on every boot, and nobody without the master
/// secret can. Its public key is published on <c>/v1/attestation</c> as <c>auditPublicKey</c>.
/// </summary>
public sealed class AuditKey(KeystoreState state) : IDisposable
{
    public const string Label = "near-tee-keystore:v1:audit";
    private readonly Lock _gate = new();
    private (MasterSecret Master, Key Key)? _current;

    /// <summary>The public key in NEAR notation, or null before the master secret is loaded.</summary>
    public string? PublicKeyText
    {
        get
        {
            try
            {
                return new Ed25519PublicKey(Current().PublicKey.Export(KeyBlobFormat.RawPublicKey)).ToString();
            }
            catch (Problems.ProblemException)
            {
                return null;
            }
        }
    }

    public byte[] Sign(ReadOnlySpan<byte> hash) => SignatureAlgorithm.Ed25519.Sign(Current(), hash);

    private Key Current()
    {
        MasterSecret master = state.RequireMasterSecret();
        lock (_gate)
        {
            if (_current is { } c && ReferenceEquals(c.Master, master))
                return c.Key;
            _current?.Key.Dispose();
            Span<byte> seed = stackalloc byte[32];
            try
            {
                master.HmacSha256(Encoding.ASCII.GetBytes(Label), seed);
                Key key = Key.Import(SignatureAlgorithm.Ed25519, seed, KeyBlobFormat.RawPrivateKey);
                _current = (master, key);
                return key;
            }
            finally
            {
                CryptographicOperations.ZeroMemory(seed);
            }
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _current?.Key.Dispose();
            _current = null;
        }
    }
}
