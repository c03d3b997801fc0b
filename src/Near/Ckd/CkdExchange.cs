using System.Security.Cryptography;
using Keystore.Near.Bls12381;

namespace Keystore.Near.Ckd;

/// <summary>
/// The secrets of one CKD exchange, each where it can be wiped: the ephemeral scalar a and the compressed
/// signature in pinned buffers, the mask a·Y and the decrypted signature C − a·Y as points whose coordinates
/// <see cref="Dispose"/> zeroes. Only the HKDF output leaves, as a <see cref="CkdSecret"/>.
/// </summary>
internal sealed class CkdExchange : IDisposable
{
    private readonly byte[] _ephemeralScalar = GC.AllocateArray<byte>(Scalar.ByteLength, pinned: true);
    private readonly byte[] _compressedSignature = GC.AllocateArray<byte>(G1Point.CompressedLength, pinned: true);

    public CkdExchange()
    {
        Scalar.FillRandom(_ephemeralScalar);
        AppPublicKey = G1Point.Generator.Multiply(_ephemeralScalar);
    }

    /// <summary>A = a·G1, the only value of the exchange that is sent anywhere.</summary>
    public G1Point AppPublicKey { get; }

    internal ReadOnlySpan<byte> EphemeralScalar => _ephemeralScalar;
    internal ReadOnlySpan<byte> CompressedSignature => _compressedSignature;

    /// <summary>a·Y = y·A: with C alone it gives the signature, so it is as secret as the signature.</summary>
    internal G1Point? Mask { get; private set; }

    internal G1Point? Signature { get; private set; }

    /// <summary>sig = C − a·Y, the pairing check e(H, pk) == e(sig, G2), then HKDF of compressed(sig).</summary>
    public CkdSecret Open(CkdResponse response, G2Point mpcPublicKey, ReadOnlySpan<byte> appId, CkdKdfOptions kdf)
    {
        if (response.BigY.IsIdentity || response.BigC.IsIdentity)
            throw new CkdVerificationException("The CKD response contains the identity point.");
        Mask = response.BigY.Multiply(_ephemeralScalar);
        Signature = response.BigC - Mask;
        if (!CkdCrypto.Verify(Signature, mpcPublicKey, appId))
            throw new CkdVerificationException("CKD response failed the pairing check e(H, pk) == e(sig, G2): wrong key, app id or tampered response.");
        Signature.WriteCompressed(_compressedSignature);
        var secret = new CkdSecret(CkdCrypto.SecretLength);
        try
        {
            CkdCrypto.DeriveSecret(_compressedSignature, kdf, secret.Writable);
            return secret;
        }
        catch
        {
            secret.Dispose();
            throw;
        }
    }

    public void Dispose()
    {
        CryptographicOperations.ZeroMemory(_ephemeralScalar);
        CryptographicOperations.ZeroMemory(_compressedSignature);
        Mask?.Wipe();
        Signature?.Wipe();
    }
}
