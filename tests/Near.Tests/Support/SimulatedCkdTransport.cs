using Keystore.Near.Bls12381;
using Keystore.Near.Ckd;

namespace Keystore.Near.Tests.Support;

/// <summary>An <see cref="ICkdTransport"/> that asks an <see cref="MpcSimulator"/> as if <paramref name="predecessorAccountId"/> called the MPC contract.</summary>
public sealed class SimulatedCkdTransport(MpcSimulator simulator, string predecessorAccountId, string derivationPath) : ICkdTransport
{
    public Task<CkdResponse> RequestAsync(G1Point appPublicKey, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        // Round-trip through the wire format so the JSON encoding is exercised too.
        var json = simulator.RequestAppPrivateKey(predecessorAccountId, derivationPath, appPublicKey).ToJson();
        return Task.FromResult(CkdResponse.FromJson(json));
    }
}
