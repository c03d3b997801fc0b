using System.Numerics;

namespace Keystore.Near.Bls12381;

/// <summary>
/// A point on y² = x³ + b (a = 0) in Jacobian coordinates (x = X/Z², y = Y/Z³); Z = 0 is the identity.
/// Generic over the coordinate field so G1 (Fp) and G2 (Fp2) share one implementation.
/// </summary>
internal readonly struct JacobianPoint<F> where F : struct, IFieldElement<F>
{
    public readonly F X, Y, Z;

    public JacobianPoint(F x, F y, F z) { X = x; Y = y; Z = z; }

    public static JacobianPoint<F> Identity => new(F.One, F.One, F.Zero);
    public static JacobianPoint<F> FromAffine(F x, F y) => new(x, y, F.One);

    public bool IsIdentity => Z.IsZero;

    public JacobianPoint<F> Negate() => new(X, -Y, Z);

    public JacobianPoint<F> Double()
    {
        if (IsIdentity) return this;
        // dbl-2009-l (a = 0)
        var a = X.Square();
        var b = Y.Square();
        var c = b.Square();
        var t = (X + b).Square() - a - c;
        var d = t + t;
        var e = a + a + a;
        var f = e.Square();
        var x3 = f - d - d;
        var c8 = c + c; c8 = c8 + c8; c8 = c8 + c8;
        var y3 = e * (d - x3) - c8;
        var yz = Y * Z;
        return new(x3, y3, yz + yz);
    }

    public JacobianPoint<F> Add(JacobianPoint<F> q)
    {
        if (IsIdentity) return q;
        if (q.IsIdentity) return this;
        // add-2007-bl
        var z1z1 = Z.Square();
        var z2z2 = q.Z.Square();
        var u1 = X * z2z2;
        var u2 = q.X * z1z1;
        var s1 = Y * q.Z * z2z2;
        var s2 = q.Y * Z * z1z1;
        var h = u2 - u1;
        var rr = s2 - s1;
        if (h.IsZero) return rr.IsZero ? Double() : Identity;
        var h2 = h + h;
        var i = h2.Square();
        var j = h * i;
        var r = rr + rr;
        var v = u1 * i;
        var x3 = r.Square() - j - v - v;
        var s1j = s1 * j;
        var y3 = r * (v - x3) - s1j - s1j;
        var z3 = ((Z + q.Z).Square() - z1z1 - z2z2) * h;
        return new(x3, y3, z3);
    }

    /// <summary>Variable-time double-and-add, for public scalars only (cofactors, subgroup checks).</summary>
    public JacobianPoint<F> MultiplyVartime(BigInteger k)
    {
        if (k.Sign < 0) return Negate().MultiplyVartime(-k);
        var result = Identity;
        for (long i = (long)k.GetBitLength() - 1; i >= 0; i--)
        {
            result = result.Double();
            if (!(k >> (int)i).IsEven) result = result.Add(this);
        }
        return result;
    }

    // 3r, big-endian over 33 bytes: k + 3r lies in [2^256, 2^257) for every k < r, so its top bit is fixed.
    private static readonly byte[] ThreeR = Scalar.ThreeRBigEndian33();

    /// <summary>
    /// Montgomery ladder for secret scalars. The scalar k (&lt; r) is recoded as k' = k + 3r, which always has exactly
    /// 257 bits, so the ladder starts from (P, 2P) and runs the same 256 add/double steps for every key; operands
    /// are swapped arithmetically, never by a branch or index on a key bit, and the intermediate values stay away
    /// from the identity, so the addition's special-case branches are not taken in practice.
    /// </summary>
    public JacobianPoint<F> MultiplyLadder(ReadOnlySpan<byte> scalarBigEndian32)
    {
        if (scalarBigEndian32.Length != 32) throw new ArgumentException("Scalar must be 32 bytes.");
        if (!Scalar.IsCanonical(scalarBigEndian32)) throw new ArgumentException("Scalar must be less than the group order.");
        Span<byte> k = stackalloc byte[33];
        int carry = 0;
        for (int i = 32; i >= 0; i--)
        {
            int sum = (i > 0 ? scalarBigEndian32[i - 1] : 0) + ThreeR[i] + carry;
            k[i] = (byte)sum;
            carry = sum >> 8;
        }
        var r0 = this;
        var r1 = Double();
        for (int i = 255; i >= 0; i--)
        {
            int bit = (k[32 - (i >> 3)] >> (i & 7)) & 1;
            ConditionalSwap(ref r0, ref r1, bit);
            r1 = r0.Add(r1);
            r0 = r0.Double();
            ConditionalSwap(ref r0, ref r1, bit);
        }
        k.Clear();
        return r0;
    }

    private static void ConditionalSwap(ref JacobianPoint<F> a, ref JacobianPoint<F> b, int bit)
    {
        var m = F.FromBit(bit);
        var dx = (b.X - a.X) * m;
        var dy = (b.Y - a.Y) * m;
        var dz = (b.Z - a.Z) * m;
        a = new(a.X + dx, a.Y + dy, a.Z + dz);
        b = new(b.X - dx, b.Y - dy, b.Z - dz);
    }

    public void ToAffine(out F x, out F y)
    {
        if (IsIdentity) throw new InvalidOperationException("The identity has no affine coordinates.");
        var zi = Z.Inverse();
        var zi2 = zi.Square();
        x = X * zi2;
        y = Y * zi2 * zi;
    }

    public bool IsOnCurve(F b)
    {
        if (IsIdentity) return true;
        var z2 = Z.Square();
        var z6 = z2.Square() * z2;
        return Y.Square().Equals(X.Square() * X + b * z6);
    }

    public bool EqualsPoint(JacobianPoint<F> q)
    {
        if (IsIdentity || q.IsIdentity) return IsIdentity && q.IsIdentity;
        var z1z1 = Z.Square();
        var z2z2 = q.Z.Square();
        return (X * z2z2).Equals(q.X * z1z1) && (Y * z2z2 * q.Z).Equals(q.Y * z1z1 * Z);
    }
}
