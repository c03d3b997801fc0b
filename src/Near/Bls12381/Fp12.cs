using System.Numerics;

namespace Keystore.Near.Bls12381;

/// <summary>Fp12 = Fp6[w]/(w² − v), the pairing target field. Equivalently Fp2[w]/(w⁶ − ξ).</summary>
public readonly struct Fp12 : IEquatable<Fp12>
{
    public readonly Fp6 C0, C1;

    public Fp12(Fp6 c0, Fp6 c1) { C0 = c0; C1 = c1; }

    public static Fp12 One => new(Fp6.One, Fp6.Zero);
    public bool IsOne => C0.Equals(Fp6.One) && C1.IsZero;

    public static Fp12 operator *(Fp12 a, Fp12 b)
    {
        var t0 = a.C0 * b.C0;
        var t1 = a.C1 * b.C1;
        var c1 = (a.C0 + a.C1) * (b.C0 + b.C1) - t0 - t1;
        return new(t0 + t1.MulByV(), c1);
    }

    /// <summary>(c0 + c1·w)² = c0² + v·c1² + 2·c0·c1·w with two Fp6 multiplications instead of three.</summary>
    public Fp12 Square()
    {
        var t = C0 * C1;
        var c0 = (C0 + C1) * (C0 + C1.MulByV()) - t - t.MulByV();
        return new(c0, t + t);
    }

    /// <summary>Conjugation w → −w, i.e. the p⁶-power Frobenius; equals the inverse on the cyclotomic subgroup.</summary>
    public Fp12 Conjugate() => new(C0, -C1);

    public Fp12 Inverse()
    {
        var t = (C0.Square() - C1.Square().MulByV()).Inverse();
        return new(C0 * t, -(C1 * t));
    }

    // γ_k = ξ^(k(p−1)/6): (c·w^k)^p = conj(c)·w^k·γ_k because w^(p−1) = ξ^((p−1)/6).
    private static readonly Fp2[] FrobeniusGamma = ComputeGamma();

    private static Fp2[] ComputeGamma()
    {
        var gamma = new Fp2[6];
        var e = (Fp.P - 1) / 6;
        for (int k = 0; k < 6; k++) gamma[k] = Fp2.Xi.Pow(e * k);
        return gamma;
    }

    /// <summary>x → x^p. C0 holds the w^0, w^2, w^4 coefficients, C1 the w^1, w^3, w^5 ones.</summary>
    public Fp12 Frobenius()
    {
        var g = FrobeniusGamma;
        return new(
            new Fp6(C0.C0.Conjugate(), C0.C1.Conjugate() * g[2], C0.C2.Conjugate() * g[4]),
            new Fp6(C1.C0.Conjugate() * g[1], C1.C1.Conjugate() * g[3], C1.C2.Conjugate() * g[5]));
    }

    public Fp12 Pow(BigInteger exponent)
    {
        var result = One;
        foreach (bool bit in ExponentBits.Of(exponent))
        {
            result = result.Square();
            if (bit) result *= this;
        }
        return result;
    }

    public bool Equals(Fp12 other) => C0.Equals(other.C0) && C1.Equals(other.C1);
    public override bool Equals(object? obj) => obj is Fp12 f && Equals(f);
    public override int GetHashCode() => HashCode.Combine(C0, C1);
    public static bool operator ==(Fp12 a, Fp12 b) => a.Equals(b);
    public static bool operator !=(Fp12 a, Fp12 b) => !a.Equals(b);
}
