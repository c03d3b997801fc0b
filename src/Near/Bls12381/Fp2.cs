using System.Numerics;

namespace Keystore.Near.Bls12381;

/// <summary>Fp2 = Fp[u]/(u² + 1).</summary>
public readonly struct Fp2 : IFieldElement<Fp2>, IEquatable<Fp2>
{
    public readonly Fp C0;
    public readonly Fp C1;

    public Fp2(Fp c0, Fp c1) { C0 = c0; C1 = c1; }

    public static Fp2 Zero => default;
    public static Fp2 One => new(Fp.One, Fp.Zero);
    public static Fp2 FromBit(int bit) => new(Fp.FromBit(bit), Fp.Zero);
    /// <summary>ξ = 1 + u, the non-residue defining Fp6 and the twist.</summary>
    public static Fp2 Xi => new(Fp.One, Fp.One);

    public bool IsZero => C0.IsZero && C1.IsZero;

    public static Fp2 operator +(Fp2 a, Fp2 b) => new(a.C0 + b.C0, a.C1 + b.C1);
    public static Fp2 operator -(Fp2 a, Fp2 b) => new(a.C0 - b.C0, a.C1 - b.C1);
    public static Fp2 operator -(Fp2 a) => new(-a.C0, -a.C1);

    public static Fp2 operator *(Fp2 a, Fp2 b)
    {
        // Karatsuba: 3 base multiplications instead of 4.
        var t0 = a.C0 * b.C0;
        var t1 = a.C1 * b.C1;
        var t2 = (a.C0 + a.C1) * (b.C0 + b.C1);
        return new(t0 - t1, t2 - t0 - t1);
    }

    public static Fp2 operator *(Fp2 a, Fp b) => new(a.C0 * b, a.C1 * b);
    public static bool operator ==(Fp2 a, Fp2 b) => a.Equals(b);
    public static bool operator !=(Fp2 a, Fp2 b) => !a.Equals(b);

    public Fp2 Square()
    {
        // (a + bu)² = (a+b)(a-b) + 2ab·u
        var ab = C0 * C1;
        return new((C0 + C1) * (C0 - C1), ab + ab);
    }

    public Fp2 Conjugate() => new(C0, -C1);

    /// <summary>Multiplication by ξ = 1 + u.</summary>
    public Fp2 MulByXi() => new(C0 - C1, C0 + C1);

    public Fp2 Inverse()
    {
        var norm = (C0.Square() + C1.Square()).Inverse();
        return new(C0 * norm, -(C1 * norm));
    }

    public Fp2 Pow(BigInteger exponent)
    {
        var result = One;
        var b = this;
        foreach (bool bit in ExponentBits.Of(exponent))
        {
            result = result.Square();
            if (bit) result *= b;
        }
        return result;
    }

    /// <summary>
    /// Square root through the norm: if x = x0 + x1·u with x² = a, then x0² = (a0 ± √N(a))/2 and x1 = a1/(2x0).
    /// Inputs are public curve coordinates, so the data-dependent branches leak nothing secret.
    /// </summary>
    public bool TrySqrt(out Fp2 root)
    {
        root = default;
        if (IsZero) return true;
        if (C1.IsZero)
        {
            if (C0.TrySqrt(out var r)) { root = new(r, Fp.Zero); return true; }
            // a0 non-square: √a0 = √(-a0)·u since u² = -1.
            if ((-C0).TrySqrt(out r)) { root = new(Fp.Zero, r); return true; }
            return false;
        }
        if (!(C0.Square() + C1.Square()).TrySqrt(out var n)) return false;
        var half = new Fp(2).Inverse();
        if (!((C0 + n) * half).TrySqrt(out var x0) && !((C0 - n) * half).TrySqrt(out x0)) return false;
        if (x0.IsZero) return false;
        var x1 = C1 * (x0 + x0).Inverse();
        var candidate = new Fp2(x0, x1);
        if (candidate.Square() != this) return false;
        root = candidate;
        return true;
    }

    /// <summary>ZCash sign flag for Fp2: compare c1, or c0 when c1 = 0.</summary>
    public bool IsLexicographicallyLargest => C1.IsZero ? C0.IsLexicographicallyLargest : C1.IsLexicographicallyLargest;

    public bool Equals(Fp2 other) => C0 == other.C0 && C1 == other.C1;
    public override bool Equals(object? obj) => obj is Fp2 f && Equals(f);
    public override int GetHashCode() => HashCode.Combine(C0, C1);
    public override string ToString() => $"({C0}, {C1})";
}
