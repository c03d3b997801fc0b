using System.Numerics;

namespace Keystore.Near.Bls12381;

/// <summary>
/// Optimal ate pairing on BLS12-381: Miller loop over |x| = 0xd201000000010000 (x is negative, so the result is
/// conjugated), then the final exponentiation (p¹² − 1)/r split into the easy part (p⁶ − 1)(p² + 1) and the hard part.
/// The hard part uses the addition chain 3·(p⁴ − p² + 1)/r = (x − 1)²·(x + p)·(x² + p² − 1) + 3 (Hayashida–Hayasaka–Teruya),
/// so <see cref="Compute"/> returns the reduced pairing cubed: still bilinear and non-degenerate (gcd(3, r) = 1),
/// which is all pairing equality checks need.
/// </summary>
public static class Pairing
{
    private const ulong AbsX = 0xd201000000010000UL;

    public static Fp12 Compute(G1Point p, G2Point q) => FinalExponentiation(MillerLoop(p, q));

    /// <summary>True when ∏ e(Pᵢ, Qᵢ) = 1, with a single shared final exponentiation.</summary>
    public static bool MultiPairingIsOne(IReadOnlyList<(G1Point P, G2Point Q)> pairs)
    {
        var f = Fp12.One;
        foreach (var (p, q) in pairs) f *= MillerLoop(p, q);
        return FinalExponentiation(f).IsOne;
    }

    /// <summary>e(a, b) == e(c, d), checked as e(a, b)·e(c, −d) == 1.</summary>
    /// <remarks>−d rather than −c: c is the decrypted CKD signature, and −c would be a heap copy of it that nobody wipes.</remarks>
    public static bool PairingsEqual(G1Point a, G2Point b, G1Point c, G2Point d) => MultiPairingIsOne([(a, b), (c, -d)]);

    public static Fp12 MillerLoop(G1Point p, G2Point q)
    {
        if (p.IsIdentity || q.IsIdentity) return Fp12.One;
        p.ToAffine(out var xp, out var yp);
        q.ToAffine(out var xq, out var yq);
        var f = Fp12.One;
        var xt = xq;
        var yt = yq;
        for (int i = 62; i >= 0; i--)
        {
            // Doubling step: tangent at T.
            var lambda = (xt.Square() * new Fp(3)) * (yt + yt).Inverse();
            f = f.Square() * Line(lambda, xt, yt, xp, yp);
            var x2 = lambda.Square() - xt - xt;
            yt = lambda * (xt - x2) - yt;
            xt = x2;
            if (((AbsX >> i) & 1) != 0)
            {
                // Addition step: chord through T and Q.
                lambda = (yq - yt) * (xq - xt).Inverse();
                f *= Line(lambda, xt, yt, xp, yp);
                var x3 = lambda.Square() - xt - xq;
                yt = lambda * (xt - x3) - yt;
                xt = x3;
            }
        }
        return f.Conjugate();
    }

    /// <summary>
    /// The line through T (on the twist) with slope λ, evaluated at P and scaled by w³ (a factor the final
    /// exponentiation removes): (λ·x_T − y_T) + (−λ·x_P)·w² + y_P·w³.
    /// </summary>
    private static Fp12 Line(Fp2 lambda, Fp2 xt, Fp2 yt, Fp xp, Fp yp) =>
        new(new Fp6(lambda * xt - yt, -(lambda * xp), Fp2.Zero),
            new Fp6(Fp2.Zero, new Fp2(yp, Fp.Zero), Fp2.Zero));

    public static Fp12 FinalExponentiation(Fp12 f)
    {
        // Easy part: f^(p⁶ − 1) = conj(f)/f, then ^(p² + 1).
        var t = f.Conjugate() * f.Inverse();
        t = t.Frobenius().Frobenius() * t;
        return HardPartCubed(t);
    }

    /// <summary>f^(3(p⁴ − p² + 1)/r) for f in the cyclotomic subgroup, where conjugation is inversion.</summary>
    private static Fp12 HardPartCubed(Fp12 f)
    {
        var a = PowX(f) * f.Conjugate();                 // f^(x−1)
        a = PowX(a) * a.Conjugate();                     // f^((x−1)²)
        var b = PowX(a) * a.Frobenius();                 // ·^(x+p)
        var c = PowX(PowX(b)) * b.Frobenius().Frobenius() * b.Conjugate(); // ·^(x²+p²−1)
        return c * f.Square() * f;                       // · f³
    }

    /// <summary>f^x for the negative curve parameter x: f^|x| then conjugate (inverse in the cyclotomic subgroup).</summary>
    private static Fp12 PowX(Fp12 f)
    {
        var result = f;
        for (int i = 62; i >= 0; i--)
        {
            result = result.Square();
            if (((AbsX >> i) & 1) != 0) result *= f;
        }
        return result.Conjugate();
    }

    /// <summary>The identity the hard-part chain relies on, checked by the tests.</summary>
    internal static bool HardPartChainIdentityHolds()
    {
        var p = Fp.P;
        var x = -(BigInteger)AbsX;
        return (x - 1) * (x - 1) * (x + p) * (x * x + p * p - 1) + 3 == 3 * ((BigInteger.Pow(p, 4) - p * p + 1) / Scalar.R)
            && (BigInteger.Pow(p, 4) - p * p + 1) % Scalar.R == 0;
    }
}
