using System.Numerics;
using Keystore.Near.Bls12381;
using Xunit;

namespace Keystore.Near.Tests.Bls12381;

public class CurveTests
{
    private static byte[] S(BigInteger k) => Scalar.FromBigInteger(k);

    [Fact]
    public void Generators_are_valid_and_have_order_r()
    {
        Assert.True(G1Point.Generator.IsOnCurve);
        Assert.True(G2Point.Generator.IsOnCurve);
        Assert.True(G1Point.Generator.IsInSubgroup);
        Assert.True(G2Point.Generator.IsInSubgroup);
        Assert.True(G1Point.Generator.MultiplyPublic(Scalar.R).IsIdentity);
        Assert.False(G1Point.Generator.MultiplyPublic(Scalar.R - 1).IsIdentity);
    }

    [Fact]
    public void Ladder_agrees_with_double_and_add()
    {
        var rng = new Random(1);
        for (int i = 0; i < 5; i++)
        {
            var bytes = new byte[32];
            rng.NextBytes(bytes);
            bytes[0] &= 0x3f;
            var k = Scalar.ToBigInteger(bytes);
            Assert.Equal(G1Point.Generator.MultiplyPublic(k), G1Point.Generator.Multiply(bytes));
            Assert.Equal(G2Point.Generator.MultiplyPublic(k), G2Point.Generator.Multiply(bytes));
        }
        Assert.True(G1Point.Generator.Multiply(new byte[32]).IsIdentity);
        Assert.Equal(G1Point.Generator, G1Point.Generator.Multiply(S(1)));
        Assert.Equal(-G1Point.Generator, G1Point.Generator.Multiply(S(Scalar.R - 1)));
    }

    [Fact]
    public void Group_law()
    {
        var g = G1Point.Generator;
        Assert.Equal(g + g, g.Multiply(S(2)));
        Assert.Equal(g.Multiply(S(5)), g.Multiply(S(2)) + g.Multiply(S(3)));
        Assert.True((g - g).IsIdentity);
        Assert.Equal(g, g + G1Point.Identity);
        var q = G2Point.Generator;
        Assert.Equal(q.Multiply(S(7)), q.Multiply(S(3)) + q.Multiply(S(4)));
    }

    [Fact]
    public void Compressed_round_trips_including_identity()
    {
        for (int k = 1; k < 6; k++)
        {
            var p = G1Point.Generator.Multiply(S(k * 1000003));
            Assert.Equal(p, G1Point.FromCompressed(p.ToCompressed()));
            Assert.Equal(-p, G1Point.FromCompressed((-p).ToCompressed()));
            Assert.NotEqual(p.ToCompressed(), (-p).ToCompressed());
            var q = G2Point.Generator.Multiply(S(k * 7919));
            Assert.Equal(q, G2Point.FromCompressed(q.ToCompressed()));
            Assert.Equal(-q, G2Point.FromCompressed((-q).ToCompressed()));
        }
        Assert.True(G1Point.FromCompressed(G1Point.Identity.ToCompressed()).IsIdentity);
        Assert.True(G2Point.FromCompressed(G2Point.Identity.ToCompressed()).IsIdentity);
        Assert.Equal("c0" + new string('0', 94), Convert.ToHexStringLower(G1Point.Identity.ToCompressed()));
        // Known ZCash encoding of the G1 generator.
        Assert.Equal("97f1d3a73197d7942695638c4fa9ac0fc3688c4f9774b905a14e3a3f171bac586c55e83ff97a1aeffb3af00adb22c6bb",
            Convert.ToHexStringLower(G1Point.Generator.ToCompressed()));
    }

    [Fact]
    public void Rejects_bad_encodings()
    {
        var good = G1Point.Generator.ToCompressed();
        // Not compressed flag.
        var bad = (byte[])good.Clone(); bad[0] &= 0x7f;
        Assert.False(G1Point.TryFromCompressed(bad, out _, out _));
        // Infinity with stray bits.
        var inf = G1Point.Identity.ToCompressed(); inf[47] = 1;
        Assert.False(G1Point.TryFromCompressed(inf, out _, out _));
        inf = G1Point.Identity.ToCompressed(); inf[0] |= 0x20;
        Assert.False(G1Point.TryFromCompressed(inf, out _, out _));
        // x ≥ p.
        var big = Fp.P.ToByteArray(isUnsigned: true, isBigEndian: true);
        big[0] |= 0x80;
        Assert.False(G1Point.TryFromCompressed(big, out _, out _));
        // Wrong length.
        Assert.False(G1Point.TryFromCompressed(good.AsSpan(1), out _, out _));

        // Off-curve: find an x with no y, and an on-curve x outside the subgroup.
        int offCurve = 0, nonSubgroup = 0;
        for (int x = 1; x < 40 && (offCurve == 0 || nonSubgroup == 0); x++)
        {
            var fx = new Fp(x);
            var enc = fx.ToBytes(); enc[0] |= 0x80;
            bool onCurve = (fx.Square() * fx + new Fp(4)).TrySqrt(out _);
            Assert.False(G1Point.TryFromCompressed(enc, out _, out var error)); // small x are never in G1
            if (onCurve) { Assert.Contains("subgroup", error); nonSubgroup++; }
            else { Assert.Contains("not on the curve", error); offCurve++; }
        }
        Assert.True(offCurve > 0 && nonSubgroup > 0);

        // G2: an on-curve point outside G2 (map an arbitrary x on E' and skip cofactor clearing).
        for (int x = 1; x < 40; x++)
        {
            var fx = new Fp2(new Fp(x), Fp.One);
            if (!(fx.Square() * fx + new Fp2(new Fp(4), new Fp(4))).TrySqrt(out _)) continue;
            var enc = new byte[96];
            fx.C1.WriteBigEndian(enc.AsSpan(0, 48));
            fx.C0.WriteBigEndian(enc.AsSpan(48, 48));
            enc[0] |= 0x80;
            Assert.False(G2Point.TryFromCompressed(enc, out _, out var err));
            Assert.Contains("subgroup", err);
            break;
        }
    }
}
