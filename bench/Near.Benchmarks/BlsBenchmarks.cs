using BenchmarkDotNet.Attributes;
using Keystore.Near.Bls12381;
using Keystore.Near.Ckd;

namespace Keystore.Near.Benchmarks;

/// <summary>The BLS12-381 operations on the keystore's boot path.</summary>
[MemoryDiagnoser]
public class BlsBenchmarks
{
    private MpcSimulator _sim = null!;
    private byte[] _appId = null!;
    private byte[] _a = null!;
    private CkdResponse _response = null!;
    private G1Point _h = null!;
    private G1Point _sig = null!;
    private byte[] _message = null!;

    [GlobalSetup]
    public void Setup()
    {
        _sim = MpcSimulator.FromHex("13e0c575c3ac888bf8815e0ed50166ed3560ffbe9fcf5917551d3bd56be291f8");
        _appId = CkdAppId.Derive("tee-dao.near", "keystore");
        _a = Scalar.Random();
        _response = _sim.Respond(_appId, G1Point.Generator.Multiply(_a), Scalar.Random());
        _sig = CkdCrypto.Decrypt(_response, _a);
        _h = CkdCrypto.HashPoint(_sim.PublicKey, _appId);
        _message = [.. _sim.PublicKey.ToCompressed(), .. _appId];
    }

    [Benchmark]
    public G1Point HashToCurveG1() => HashToCurve.HashToG1(_message, HashToCurve.NearCkdDst);

    [Benchmark]
    public bool PairingCheck() => Pairing.PairingsEqual(_h, _sim.PublicKey, _sig, G2Point.Generator);

    [Benchmark]
    public G1Point G1ScalarMulLadder() => G1Point.Generator.Multiply(_a);

    [Benchmark]
    public byte[] CkdDecryptVerifyDerive()
    {
        var sig = CkdCrypto.Decrypt(_response, _a);
        if (!CkdCrypto.Verify(sig, _sim.PublicKey, _appId)) throw new InvalidOperationException("verify failed");
        return CkdCrypto.DeriveSecret(sig.ToCompressed(), CkdKdfOptions.StrongKeyV1);
    }
}
