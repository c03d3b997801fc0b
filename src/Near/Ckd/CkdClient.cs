using System.Security.Cryptography;
using Keystore.Near.Bls12381;

namespace Keystore.Near.Ckd;

/// <summary>
/// Obtains the app's master secret through NEAR MPC Confidential Key Derivation: a fresh ephemeral key A = a·G1,
/// the transport's (Y, C), sig = C − a·Y, the pairing check against the MPC public key, then HKDF.
/// The predecessor is the account the MPC contract sees as caller (for the keystore: the tee-dao account).
/// </summary>
public sealed class CkdClient(ICkdTransport transport, IMpcPublicKeySource publicKeySource, string predecessorAccountId, string derivationPath, CkdKdfOptions? kdf = null)
{
    private readonly CkdKdfOptions _kdf = kdf ?? CkdKdfOptions.StrongKeyV1;

    public byte[] AppId { get; } = CkdAppId.Derive(predecessorAccountId, derivationPath);

    /// <summary>Returns the 32-byte secret. The caller owns the array and should wipe it when done.</summary>
    public async Task<byte[]> DeriveSecretAsync(CancellationToken cancellationToken = default)
    {
        var mpcPublicKey = await publicKeySource.GetPublicKeyAsync(cancellationToken).ConfigureAwait(false);
        if (mpcPublicKey.IsIdentity) throw new CkdVerificationException("The MPC public key is the identity.");
        var a = Scalar.Random();
        byte[]? sigBytes = null;
        try
        {
            var appPublicKey = G1Point.Generator.Multiply(a);
            var response = await transport.RequestAsync(appPublicKey, cancellationToken).ConfigureAwait(false);
            if (response.BigY.IsIdentity || response.BigC.IsIdentity)
                throw new CkdVerificationException("The CKD response contains the identity point.");
            var signature = CkdCrypto.Decrypt(response, a);
            if (!CkdCrypto.Verify(signature, mpcPublicKey, AppId))
                throw new CkdVerificationException("CKD response failed the pairing check e(H, pk) == e(sig, G2): wrong key, app id or tampered response.");
            sigBytes = signature.ToCompressed();
            return CkdCrypto.DeriveSecret(sigBytes, _kdf);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(a);
            if (sigBytes is not null) CryptographicOperations.ZeroMemory(sigBytes);
        }
    }
}
