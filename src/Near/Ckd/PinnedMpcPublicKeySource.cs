using Keystore.Near.Bls12381;

namespace Keystore.Near.Ckd;

/// <summary>
/// The MPC public key a CKD answer is checked against, fixed in advance rather than taken from whoever answers the
/// view call. A key read from the chain (<paramref name="chain"/>, through the same RPC that carries the CKD answer)
/// proves nothing against that RPC: it can answer pk' = msk'·G2 together with an answer made with msk', and the
/// pairing check passes under pk'. With a pin the check runs under <paramref name="pinned"/> alone, so only the real
/// MPC network's answer opens. The chain's key is still read and compared, so a stale pin, or an RPC that answers
/// another key, stops here with both keys named rather than later as a bare pairing failure.
/// </summary>
public sealed class PinnedMpcPublicKeySource(IMpcPublicKeySource chain, G2Point pinned) : IMpcPublicKeySource
{
    public async Task<G2Point> GetPublicKeyAsync(CancellationToken cancellationToken)
    {
        G2Point read = await chain.GetPublicKeyAsync(cancellationToken).ConfigureAwait(false);
        if (!read.Equals(pinned))
            throw new CkdVerificationException(
                $"The MPC public key read from NEAR ({BlsKeyText.Encode(read)}) is not the pinned one ({BlsKeyText.Encode(pinned)}): "
                + "the RPC endpoint answers for another MPC key, or the pin is stale.");
        return pinned;
    }
}
