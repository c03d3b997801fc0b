using System.Text.Json.Nodes;
using Keystore.Near.Bls12381;

namespace Keystore.Near.Ckd;

/// <summary>Arguments of the MPC contract's <c>request_app_private_key</c> (and of tee-dao's forwarding call).</summary>
public static class CkdRequest
{
    /// <summary>The MPC network's BLS12-381 domain used for CKD.</summary>
    public const int DefaultDomainId = 2;

    /// <summary><c>{"request":{"derivation_path":…,"app_public_key":"bls12381g1:…","domain_id":2}}</c></summary>
    public static string ToJson(G1Point appPublicKey, string derivationPath, int domainId = DefaultDomainId) => new JsonObject
    {
        ["request"] = new JsonObject
        {
            ["derivation_path"] = derivationPath,
            ["app_public_key"] = BlsKeyText.Encode(appPublicKey),
            ["domain_id"] = domainId,
        },
    }.ToJsonString();

    /// <summary>Args of the MPC contract view <c>public_key</c>: <c>{"domain_id":2}</c>.</summary>
    public static string PublicKeyViewArgs(int domainId = DefaultDomainId) => new JsonObject { ["domain_id"] = domainId }.ToJsonString();
}
