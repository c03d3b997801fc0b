using Keystore.Auth;
using NSec.Cryptography;

namespace Keystore.Boot;

/// <summary>
/// The ed25519 key this keystore instance acts with on NEAR. Created fresh in memory on every boot,
/// never exportable and never written anywhere: a restart is a new worker that must attest again.
/// The TDX quote binds it (report_data = public key ‖ 32 zero bytes), so the DAO can trust it.
/// </summary>
public sealed class WorkerIdentity : IDisposable
{
    public WorkerIdentity()
    {
        Key = Key.Create(SignatureAlgorithm.Ed25519, new KeyCreationParameters { ExportPolicy = KeyExportPolicies.None });
        PublicKey = Key.PublicKey.Export(KeyBlobFormat.RawPublicKey);
        NearPublicKeyText = Auth.NearPublicKey.FormatEd25519(PublicKey);
    }

    /// <summary>Signs NEAR transactions; the private half cannot be exported.</summary>
    public Key Key { get; }

    public byte[] PublicKey { get; }

    /// <summary><c>ed25519:&lt;base58&gt;</c>.</summary>
    public string NearPublicKeyText { get; }

    /// <summary>The implicit NEAR account of the key: 64 lowercase hex characters.</summary>
    public string ImplicitAccountId => Convert.ToHexStringLower(PublicKey);

    /// <summary>TDX report data: the public key, then 32 zero bytes.</summary>
    public byte[] ReportData()
    {
        byte[] data = new byte[64];
        PublicKey.CopyTo(data, 0);
        return data;
    }

    public void Dispose() => Key.Dispose();
}
