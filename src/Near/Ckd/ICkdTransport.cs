using Keystore.Near.Bls12381;

namespace Keystore.Near.Ckd;

/// <summary>
/// Carries a CKD request to the MPC network and brings back its response. The keystore implements it as
/// "call tee-dao.request_master_secret via NEAR"; tests ask an <see cref="MpcSimulator"/> instead.
/// </summary>
public interface ICkdTransport
{
    Task<CkdResponse> RequestAsync(G1Point appPublicKey, CancellationToken cancellationToken);
}
