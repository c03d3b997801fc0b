using System.Text.Json.Nodes;
using Keystore.Near.Bls12381;
using Keystore.Near.Rpc;

namespace Keystore.Near.Ckd;

/// <summary>
/// Sends the CKD request as a NEAR function call (by default <c>tee-dao.request_master_secret({"app_public_key": "bls12381g1:…"})</c>,
/// which forwards to the MPC contract with the DAO as predecessor) and reads <c>{big_y, big_c}</c> from the final outcome.
/// </summary>
public sealed class NearCkdTransport(TransactionSender sender, string contractId, string methodName = "request_master_secret",
    Func<G1Point, string>? buildArgs = null, ulong gas = NearCkdTransport.DefaultGas, UInt128? deposit = null) : ICkdTransport
{
    /// <summary>300 Tgas: the MPC contract needs ≥ 15 Tgas for itself plus the DAO's cross-contract overhead.</summary>
    public const ulong DefaultGas = 300_000_000_000_000;

    private readonly Func<G1Point, string> _buildArgs = buildArgs ?? (a => new JsonObject { ["app_public_key"] = BlsKeyText.Encode(a) }.ToJsonString());

    public async Task<CkdResponse> RequestAsync(G1Point appPublicKey, CancellationToken cancellationToken)
    {
        // 1 yoctoNEAR: the MPC contract requires a deposit of at least 1 yocto on request_app_private_key.
        var outcome = await sender.FunctionCallAsync(contractId, methodName, _buildArgs(appPublicKey), gas, deposit ?? 1, cancellationToken).ConfigureAwait(false);
        var text = outcome.SuccessValueText();
        if (string.IsNullOrEmpty(text)) throw new FormatException($"{contractId}.{methodName} returned no CKD response.");
        return CkdResponse.FromJson(text);
    }
}
