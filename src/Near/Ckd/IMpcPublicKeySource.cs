using Keystore.Near.Bls12381;

namespace Keystore.Near.Ckd;

/// <summary>Supplies the MPC network's CKD public key (G2), e.g. from the MPC contract's <c>public_key {"domain_id":2}</c> view.</summary>
public interface IMpcPublicKeySource
{
    Task<G2Point> GetPublicKeyAsync(CancellationToken cancellationToken);
}
