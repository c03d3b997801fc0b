using System.Numerics;

namespace Keystore.Near.Bls12381;

/// <summary>A point of BLS12-381 G2 (E': y² = x³ + 4(1 + u) over Fp2). Decoding enforces on-curve and subgroup membership.</summary>
public sealed class G2Point : IEquatable<G2Point>
{
    public const int CompressedLength = 96;
    internal static readonly Fp2 B = new(new Fp(4), new Fp(4));

    internal readonly JacobianPoint<Fp2> P;

    internal G2Point(JacobianPoint<Fp2> p) => P = p;

    public static G2Point Identity { get; } = new(JacobianPoint<Fp2>.Identity);

    public static G2Point Generator { get; } = new(JacobianPoint<Fp2>.FromAffine(
        new Fp2(Fp.FromHex("024aa2b2f08f0a91260805272dc51051c6e47ad4fa403b02b4510b647ae3d1770bac0326a805bbefd48056c8c121bdb8"),
                Fp.FromHex("13e02b6052719f607dacd3a088274f65596bd0d09920b61ab5da61bbdc7f5049334cf11213945d57e5ac7d055d042b7e")),
        new Fp2(Fp.FromHex("0ce5d527727d6e118cc9cdc6da2e351aadfd9baa8cbdd3a76d429a695160d12c923ac9cc3baca289e193548608b82801"),
                Fp.FromHex("0606c4a02ea734cc32acd2b02bc28b99cb3e287e85a763af267492ab572e99ab3f370d275cec1da1aaa9075ff05f79be"))));

    public bool IsIdentity => P.IsIdentity;
    public bool IsOnCurve => P.IsOnCurve(B);
    public bool IsInSubgroup => P.MultiplyVartime(Scalar.R).IsIdentity;

    public static G2Point operator +(G2Point a, G2Point b) => new(a.P.Add(b.P));
    public static G2Point operator -(G2Point a, G2Point b) => new(a.P.Add(b.P.Negate()));
    public static G2Point operator -(G2Point a) => new(a.P.Negate());

    public G2Point Multiply(ReadOnlySpan<byte> scalarBigEndian32) => new(P.MultiplyLadder(scalarBigEndian32));
    public G2Point MultiplyPublic(BigInteger k) => new(P.MultiplyVartime(k));

    public void ToAffine(out Fp2 x, out Fp2 y) => P.ToAffine(out x, out y);

    /// <summary>ZCash compressed form: x.c1 ‖ x.c0, flags in the first byte as for G1.</summary>
    public byte[] ToCompressed()
    {
        var bytes = new byte[CompressedLength];
        if (IsIdentity)
        {
            bytes[0] = 0xc0;
            return bytes;
        }
        P.ToAffine(out var x, out var y);
        x.C1.WriteBigEndian(bytes.AsSpan(0, 48));
        x.C0.WriteBigEndian(bytes.AsSpan(48, 48));
        bytes[0] |= 0x80;
        if (y.IsLexicographicallyLargest) bytes[0] |= 0x20;
        return bytes;
    }

    public static G2Point FromCompressed(ReadOnlySpan<byte> bytes)
    {
        if (!TryFromCompressed(bytes, out var point, out var error)) throw new FormatException(error);
        return point;
    }

    public static bool TryFromCompressed(ReadOnlySpan<byte> bytes, out G2Point point, out string error)
    {
        point = Identity;
        if (bytes.Length != CompressedLength) { error = $"G2 compressed point must be {CompressedLength} bytes."; return false; }
        byte flags = bytes[0];
        if ((flags & 0x80) == 0) { error = "G2 point is not in compressed form."; return false; }
        bool infinity = (flags & 0x40) != 0;
        bool sign = (flags & 0x20) != 0;
        Span<byte> xBytes = stackalloc byte[CompressedLength];
        bytes.CopyTo(xBytes);
        xBytes[0] &= 0x1f;
        if (infinity)
        {
            bool rest0 = !sign && xBytes.IndexOfAnyExcept((byte)0) < 0;
            error = rest0 ? "" : "G2 infinity encoding has non-zero bits.";
            return rest0;
        }
        var x1 = new BigInteger(xBytes[..48], isUnsigned: true, isBigEndian: true);
        var x0 = new BigInteger(xBytes[48..], isUnsigned: true, isBigEndian: true);
        if (x1 >= Fp.P || x0 >= Fp.P) { error = "G2 x coordinate is not canonical."; return false; }
        var x = new Fp2(new Fp(x0), new Fp(x1));
        if (!(x.Square() * x + B).TrySqrt(out var y)) { error = "G2 point is not on the curve."; return false; }
        if (y.IsLexicographicallyLargest != sign) y = -y;
        var candidate = new G2Point(JacobianPoint<Fp2>.FromAffine(x, y));
        if (!candidate.IsInSubgroup) { error = "G2 point is not in the prime-order subgroup."; return false; }
        point = candidate;
        error = "";
        return true;
    }

    public bool Equals(G2Point? other) => other is not null && P.EqualsPoint(other.P);
    public override bool Equals(object? obj) => Equals(obj as G2Point);
    public override int GetHashCode() => IsIdentity ? 0 : ToCompressed()[95];
    public override string ToString() => "G2(" + Convert.ToHexStringLower(ToCompressed()) + ")";
}
