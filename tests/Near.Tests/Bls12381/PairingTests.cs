using System.Numerics;
using Keystore.Near.Bls12381;
using Xunit;

namespace Keystore.Near.Tests.Bls12381;

public class PairingTests
{
    [Fact]
    public void Bilinear_and_non_degenerate()
    {
        BigInteger a = 0x1234567890abcdefUL, b = 0xfedcba0987654321UL;
        var p = G1Point.Generator;
        var q = G2Point.Generator;
        var e = Pairing.Compute(p, q);
        Assert.False(e.IsOne); // non-degenerate
        Assert.True(e.Pow(Scalar.R).IsOne); // lands in the order-r subgroup
        var lhs = Pairing.Compute(p.Multiply(Scalar.FromBigInteger(a)), q.Multiply(Scalar.FromBigInteger(b)));
        Assert.Equal(e.Pow(a * b), lhs);
        Assert.Equal(Pairing.Compute(p.Multiply(Scalar.FromBigInteger(a * b % Scalar.R)), q), lhs);
        Assert.NotEqual(Pairing.Compute(p.Multiply(Scalar.FromBigInteger(a + 1)), q.Multiply(Scalar.FromBigInteger(b))), lhs);
    }

    [Fact]
    public void Multi_pairing_check()
    {
        var k = Scalar.FromBigInteger(987654321);
        var p = G1Point.Generator.Multiply(k);
        Assert.True(Pairing.PairingsEqual(p, G2Point.Generator, G1Point.Generator, G2Point.Generator.Multiply(k)));
        Assert.False(Pairing.PairingsEqual(p, G2Point.Generator, G1Point.Generator, G2Point.Generator));
        Assert.True(Pairing.MultiPairingIsOne([(G1Point.Identity, G2Point.Generator)]));
        Assert.True(Pairing.MultiPairingIsOne([(p, G2Point.Generator), (-p, G2Point.Generator)]));
    }
}

public class FinalExponentiationTests
{
    [Fact]
    public void Hard_part_addition_chain_matches_the_exponent()
    {
        Assert.True(Pairing.HardPartChainIdentityHolds());
        // And the chain agrees with the plain exponentiation on a real Miller-loop value.
        var f = Pairing.MillerLoop(G1Point.Generator, G2Point.Generator);
        var p = Keystore.Near.Bls12381.Fp.P;
        var r = Scalar.R;
        var plain = f.Pow((System.Numerics.BigInteger.Pow(p, 12) - 1) / r);
        Assert.Equal(plain.Pow(3), Pairing.FinalExponentiation(f));
    }
}
