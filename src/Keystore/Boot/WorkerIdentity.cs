using Keystore.Near.Keys;

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
        KeyPair = Ed25519KeyPair.GenerateNonExportable();
    }

    /// <summary>Signs NEAR transactions as a function-call key of the DAO account; the secret cannot be exported.</summary>
    public Ed25519KeyPair KeyPair { get; }

    public Ed25519PublicKey PublicKey => KeyPair.PublicKey;

    /// <summary><c>ed25519:&lt;base58&gt;</c>.</summary>
    public string NearPublicKeyText => KeyPair.PublicKey.ToString();

    /// <summary>TDX report data: the public key, then 32 zero bytes.</summary>
    public byte[] ReportData()
    {
        byte[] data = new byte[64];
        KeyPair.PublicKey.Bytes.Span.CopyTo(data);
        return data;
    }

    public void Dispose() => KeyPair.Dispose();
}
