namespace Keystore.Near.Bls12381;

/// <summary>
/// RFC 9380 hash_to_curve for BLS12-381 G1, suite BLS12381G1_XMD:SHA-256_SSWU_RO_ (any DST):
/// two field elements from expand_message_xmd, simplified SWU on the 11-isogenous curve, the isogeny
/// to E, point addition, and cofactor clearing by h_eff. Inputs are public, so the map need not be constant-time.
/// </summary>
public static class HashToCurve
{
    /// <summary>The DST NEAR's MPC network uses for CKD.</summary>
    public const string NearCkdDst = "NEAR BLS12381G1_XMD:SHA-256_SSWU_RO_";

    private const int L = 64; // ceil((ceil(log2 p) + k) / 8) with k = 128
    private static readonly System.Numerics.BigInteger HEff = 0xd201000000010001UL;

    public static G1Point HashToG1(ReadOnlySpan<byte> message, ReadOnlySpan<byte> dst)
    {
        var (u0, u1) = HashToField(message, dst);
        var q0 = MapToCurve(u0);
        var q1 = MapToCurve(u1);
        return new G1Point(q0.Add(q1).MultiplyVartime(HEff));
    }

    public static G1Point HashToG1(ReadOnlySpan<byte> message, string dst) => HashToG1(message, System.Text.Encoding.UTF8.GetBytes(dst));

    public static (Fp U0, Fp U1) HashToField(ReadOnlySpan<byte> message, ReadOnlySpan<byte> dst)
    {
        var uniform = ExpandMessageXmd.Expand(message, dst, 2 * L);
        return (Fp.FromBytesReduce(uniform.AsSpan(0, L)), Fp.FromBytesReduce(uniform.AsSpan(L, L)));
    }

    /// <summary>map_to_curve: SSWU onto E' then the 11-isogeny onto E (not yet in G1: cofactor still to clear).</summary>
    internal static JacobianPoint<Fp> MapToCurve(Fp u)
    {
        var (xp, yp) = SimplifiedSwu(u);
        return IsoMap(xp, yp);
    }

    public static G1Point MapToCurvePublic(Fp u) => new(MapToCurve(u));

    /// <summary>RFC 9380 §6.6.2, the straightforward form.</summary>
    private static (Fp X, Fp Y) SimplifiedSwu(Fp u)
    {
        var a = SswuG1Constants.A;
        var b = SswuG1Constants.B;
        var z = SswuG1Constants.Z;
        var u2 = u.Square();
        var zu2 = z * u2;
        var tv1 = (zu2.Square() + zu2).Inverse(); // inv0
        var x1 = tv1.IsZero ? b * (z * a).Inverse() : (-b) * a.Inverse() * (Fp.One + tv1);
        var gx1 = x1.Square() * x1 + a * x1 + b;
        Fp x, y;
        if (gx1.TrySqrt(out var y1))
        {
            x = x1;
            y = y1;
        }
        else
        {
            x = zu2 * x1;
            var gx2 = x.Square() * x + a * x + b;
            if (!gx2.TrySqrt(out y)) throw new InvalidOperationException("SSWU: neither gx1 nor gx2 is square (impossible for valid constants).");
        }
        if (u.Sgn0 != y.Sgn0) y = -y;
        return (x, y);
    }

    private static JacobianPoint<Fp> IsoMap(Fp x, Fp y)
    {
        var xNum = Horner(SswuG1Constants.XNum, x);
        var xDen = Horner(SswuG1Constants.XDen, x);
        var yNum = Horner(SswuG1Constants.YNum, x);
        var yDen = Horner(SswuG1Constants.YDen, x);
        // RFC 9380 §6.6.3: the isogeny's exceptional case (a zero denominator) maps to the identity.
        if (xDen.IsZero || yDen.IsZero) return JacobianPoint<Fp>.Identity;
        return JacobianPoint<Fp>.FromAffine(xNum * xDen.Inverse(), y * yNum * yDen.Inverse());
    }

    private static Fp Horner(Fp[] ascending, Fp x)
    {
        var acc = Fp.Zero;
        for (int i = ascending.Length - 1; i >= 0; i--) acc = acc * x + ascending[i];
        return acc;
    }
}
