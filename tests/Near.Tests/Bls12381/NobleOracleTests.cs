using Keystore.Near.Bls12381;
using Keystore.Near.Ckd;
using Xunit;

namespace Keystore.Near.Tests.Bls12381;

/// <summary>Random values cross-checked against @noble/curves bls12_381 (tests/oracles/bls-oracle.mjs) in the same run.</summary>
public class NobleOracleTests
{
    [Fact]
    public void Agrees_with_noble_on_scalar_mults_hashes_pairings_and_validation()
    {
        var scalars = Enumerable.Range(0, 3).Select(_ => Scalar.Random()).ToList();
        var messages = Enumerable.Range(0, 3).Select(i => System.Security.Cryptography.RandomNumberGenerator.GetBytes(20 + 50 * i)).ToList();
        var k = scalars[0];
        var j = scalars[1];
        var aG1 = G1Point.Generator.Multiply(k);
        var bG2 = G2Point.Generator.Multiply(j);
        var kjG1 = G1Point.Generator.Multiply(Scalar.FromBigInteger(Scalar.ToBigInteger(k) * Scalar.ToBigInteger(j)));
        var pairs = new[]
        {
            // e(kG1, jG2) == e(kjG1, G2): true
            new { a = Hex(aG1.ToCompressed()), b = Hex(bG2.ToCompressed()), c = Hex(kjG1.ToCompressed()), d = Hex(G2Point.Generator.ToCompressed()) },
            // e(kG1, jG2) == e(G1, G2): false
            new { a = Hex(aG1.ToCompressed()), b = Hex(bG2.ToCompressed()), c = Hex(G1Point.Generator.ToCompressed()), d = Hex(G2Point.Generator.ToCompressed()) },
        };
        // An on-curve point outside G1 (small x): both must refuse it.
        byte[] notInSubgroup = [];
        for (int x = 1; notInSubgroup.Length == 0; x++)
        {
            var fx = new Fp(x);
            if ((fx.Square() * fx + new Fp(4)).TrySqrt(out _)) { notInSubgroup = fx.ToBytes(); notInSubgroup[0] |= 0x80; }
        }

        var result = NodeOracle.Run("bls-oracle.mjs", new
        {
            scalars = scalars.Select(Hex).ToArray(),
            messages = messages.Select(Hex).ToArray(),
            dst = HashToCurve.NearCkdDst,
            pairs,
            g1 = new[] { Hex(aG1.ToCompressed()), Hex(notInSubgroup) },
            g2 = new[] { Hex(bG2.ToCompressed()) },
        });

        for (int i = 0; i < scalars.Count; i++)
        {
            Assert.Equal((string)result["g1Mul"]![i]!, Hex(G1Point.Generator.Multiply(scalars[i]).ToCompressed()));
            Assert.Equal((string)result["g2Mul"]![i]!, Hex(G2Point.Generator.Multiply(scalars[i]).ToCompressed()));
        }
        for (int i = 0; i < messages.Count; i++)
            Assert.Equal((string)result["hashes"]![i]!, Hex(HashToCurve.HashToG1(messages[i], HashToCurve.NearCkdDst).ToCompressed()));

        Assert.True((bool)result["pairingsEqual"]![0]!);
        Assert.True(Pairing.PairingsEqual(aG1, bG2, kjG1, G2Point.Generator));
        Assert.False((bool)result["pairingsEqual"]![1]!);
        Assert.False(Pairing.PairingsEqual(aG1, bG2, G1Point.Generator, G2Point.Generator));

        Assert.True((bool)result["g1Valid"]![0]!);
        Assert.False((bool)result["g1Valid"]![1]!);
        Assert.False(G1Point.TryFromCompressed(notInSubgroup, out _, out _));
        Assert.True((bool)result["g2Valid"]![0]!);
    }

    [Fact]
    public void Simulator_response_verifies_under_noble_pairing()
    {
        // The CKD equation e(H, pk) == e(sig, G2) as noble computes it, for a simulated response.
        var sim = MpcSimulator.CreateRandom();
        var a = Scalar.Random();
        var appId = CkdAppId.Derive("tee-dao.near", "keystore");
        var response = sim.Respond(appId, G1Point.Generator.Multiply(a), Scalar.Random());
        var sig = CkdCrypto.Decrypt(response, a);
        var h = CkdCrypto.HashPoint(sim.PublicKey, appId);
        var result = NodeOracle.Run("bls-oracle.mjs", new
        {
            scalars = Array.Empty<string>(),
            messages = new[] { Hex([.. sim.PublicKey.ToCompressed(), .. appId]) },
            dst = HashToCurve.NearCkdDst,
            pairs = new[] { new { a = Hex(h.ToCompressed()), b = Hex(sim.PublicKey.ToCompressed()), c = Hex(sig.ToCompressed()), d = Hex(G2Point.Generator.ToCompressed()) } },
            g1 = Array.Empty<string>(),
            g2 = Array.Empty<string>(),
        });
        Assert.Equal((string)result["hashes"]![0]!, Hex(h.ToCompressed()));
        Assert.True((bool)result["pairingsEqual"]![0]!);
    }

    private static string Hex(byte[] b) => Convert.ToHexStringLower(b);
}
