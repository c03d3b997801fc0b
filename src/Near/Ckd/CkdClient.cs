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

    /// <summary>
    /// Returns the 32-byte secret in a pinned buffer the caller owns and must dispose. Every intermediate (the
    /// ephemeral scalar, the mask, the decrypted signature and its encoding) is wiped before this returns or throws.
    /// </summary>
    public async Task<CkdSecret> DeriveSecretAsync(CancellationToken cancellationToken = default)
    {
        var mpcPublicKey = await publicKeySource.GetPublicKeyAsync(cancellationToken).ConfigureAwait(false);
        if (mpcPublicKey.IsIdentity) throw new CkdVerificationException("The MPC public key is the identity.");
        using var exchange = new CkdExchange();
        var response = await transport.RequestAsync(exchange.AppPublicKey, cancellationToken).ConfigureAwait(false);
        return exchange.Open(response, mpcPublicKey, AppId, _kdf);
    }
}
