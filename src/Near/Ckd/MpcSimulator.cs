using Keystore.Near.Bls12381;

namespace Keystore.Near.Ckd;

/// <summary>
/// A faithful stand-in for NEAR's MPC network on one domain: holds msk, answers
/// <c>request_app_private_key</c> with Y = y·G1, C = msk·H + y·A for a fresh random y, and the
/// <c>public_key</c> view with msk·G2. For development chains and tests only: msk is in plain memory.
/// </summary>
public sealed class MpcSimulator : IMpcPublicKeySource
{
    private readonly byte[] _msk;

    public MpcSimulator(ReadOnlySpan<byte> mskBigEndian32)
    {
        if (!Scalar.IsCanonicalNonZero(mskBigEndian32)) throw new ArgumentException("msk must be a canonical non-zero 32-byte scalar.");
        _msk = mskBigEndian32.ToArray();
        PublicKey = G2Point.Generator.Multiply(_msk);
    }

    public static MpcSimulator FromHex(string mskHex) => new(Convert.FromHexString(mskHex));
    public static MpcSimulator CreateRandom() => new(Scalar.Random());

    public G2Point PublicKey { get; }

    public Task<G2Point> GetPublicKeyAsync(CancellationToken cancellationToken) => Task.FromResult(PublicKey);

    /// <summary>As the MPC contract would answer a call from <paramref name="predecessorAccountId"/>.</summary>
    public CkdResponse RequestAppPrivateKey(string predecessorAccountId, string derivationPath, G1Point appPublicKey) =>
        Respond(CkdAppId.Derive(predecessorAccountId, derivationPath), appPublicKey, Scalar.Random());

    /// <summary>Deterministic form (given y) so test vectors can be reproduced.</summary>
    public CkdResponse Respond(ReadOnlySpan<byte> appId, G1Point appPublicKey, ReadOnlySpan<byte> y)
    {
        if (appPublicKey.IsIdentity || !appPublicKey.IsInSubgroup) throw new ArgumentException("Invalid app public key.");
        var h = CkdCrypto.HashPoint(PublicKey, appId);
        var bigY = G1Point.Generator.Multiply(y);
        var bigC = h.Multiply(_msk) + appPublicKey.Multiply(y);
        return new CkdResponse(bigY, bigC);
    }

    public override string ToString() => $"MpcSimulator({PublicKey})";
}
