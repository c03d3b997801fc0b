using System.Text.Json.Nodes;
using Keystore.Near.Bls12381;
using Keystore.Near.Ckd;

namespace Keystore.Near.Rpc;

/// <summary>Reads the MPC network's CKD public key from the MPC contract's <c>public_key {"domain_id":…}</c> view.</summary>
public sealed class NearRpcMpcPublicKeySource(NearRpcClient rpc, string mpcContractId, int domainId = CkdRequest.DefaultDomainId) : IMpcPublicKeySource
{
    public async Task<G2Point> GetPublicKeyAsync(CancellationToken cancellationToken)
    {
        var node = await rpc.CallFunctionJsonAsync(mpcContractId, "public_key", CkdRequest.PublicKeyViewArgs(domainId), cancellationToken).ConfigureAwait(false);
        var text = (node is JsonValue value && value.TryGetValue(out string? s) ? s : null)
            ?? throw new FormatException($"{mpcContractId}.public_key returned no key text.");
        var key = BlsKeyText.ParseG2(text);
        if (key.IsIdentity) throw new CkdVerificationException("The MPC public key is the identity.");
        return key;
    }
}
