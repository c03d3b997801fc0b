using System.Numerics;

namespace Keystore.Near.Bls12381;

/// <summary>A point of BLS12-381 G1 (E: y² = x³ + 4 over Fp). Decoding enforces on-curve and subgroup membership.</summary>
public sealed class G1Point : IEquatable<G1Point>
{
    public const int CompressedLength = 48;
    internal static readonly Fp B = new(4);

    // Not readonly only so that Wipe can zero a secret point (the decrypted CKD signature) where it lies.
    private JacobianPoint<Fp> _p;

    internal G1Point(JacobianPoint<Fp> p) => _p = p;

    internal ref readonly JacobianPoint<Fp> P => ref _p;

    public static G1Point Identity { get; } = new(JacobianPoint<Fp>.Identity);

    public static G1Point Generator { get; } = new(JacobianPoint<Fp>.FromAffine(
        Fp.FromHex("17f1d3a73197d7942695638c4fa9ac0fc3688c4f9774b905a14e3a3f171bac586c55e83ff97a1aeffb3af00adb22c6bb"),
        Fp.FromHex("08b3f481e3aaa0f1a09e30ed741d8ae4fcf5e095d5d00af600db18cb2c04b3edd03cc744a2888ae40caa232946c5e7e1")));

    public bool IsIdentity => P.IsIdentity;
    public bool IsOnCurve => P.IsOnCurve(B);

    /// <summary>r·P = O. Straightforward multiplication by r: slower than endomorphism checks but obviously right.</summary>
    public bool IsInSubgroup => P.MultiplyVartime(Scalar.R).IsIdentity;

    public static G1Point FromAffine(Fp x, Fp y)
    {
        var p = new G1Point(JacobianPoint<Fp>.FromAffine(x, y));
        if (!p.IsOnCurve) throw new FormatException("G1 point is not on the curve.");
        return p;
    }

    public static G1Point operator +(G1Point a, G1Point b) => new(a.P.Add(b.P));
    public static G1Point operator -(G1Point a, G1Point b) => new(a.P.Add(b.P.Negate()));
    public static G1Point operator -(G1Point a) => new(a.P.Negate());

    /// <summary>Scalar multiplication with a secret 32-byte big-endian scalar (Montgomery ladder, no key-dependent branches).</summary>
    public G1Point Multiply(ReadOnlySpan<byte> scalarBigEndian32) => new(P.MultiplyLadder(scalarBigEndian32));

    /// <summary>Variable-time multiplication by a public integer.</summary>
    public G1Point MultiplyPublic(BigInteger k) => new(P.MultiplyVartime(k));

    public void ToAffine(out Fp x, out Fp y) => P.ToAffine(out x, out y);

    /// <summary>ZCash compressed form: x big-endian with flags in the top three bits (0x80 compressed, 0x40 infinity, 0x20 y is the larger root).</summary>
    public byte[] ToCompressed()
    {
        var bytes = new byte[CompressedLength];
        WriteCompressed(bytes);
        return bytes;
    }

    /// <summary>As <see cref="ToCompressed"/>, into a buffer the caller owns, for points that are secrets.</summary>
    public void WriteCompressed(Span<byte> destination48)
    {
        if (destination48.Length != CompressedLength) throw new ArgumentException($"A compressed G1 point is {CompressedLength} bytes.", nameof(destination48));
        if (IsIdentity)
        {
            destination48.Clear();
            destination48[0] = 0xc0;
            return;
        }
        P.ToAffine(out var x, out var y);
        x.WriteBigEndian(destination48);
        destination48[0] |= 0x80;
        if (y.IsLexicographicallyLargest) destination48[0] |= 0x20;
    }

    /// <summary>
    /// Zeroes the coordinates of a point that is a secret, once it is no longer needed. The point then reads as
    /// the identity. Never for shared instances (<see cref="Identity"/>, <see cref="Generator"/>).
    /// </summary>
    internal void Wipe() => _p = default;

    /// <summary>Uncompressed x ‖ y (96 bytes, no flags) of a non-identity point, as RFC 9380 vectors print it.</summary>
    public byte[] ToUncompressed()
    {
        P.ToAffine(out var x, out var y);
        return [.. x.ToBytes(), .. y.ToBytes()];
    }

    public static G1Point FromCompressed(ReadOnlySpan<byte> bytes)
    {
        if (!TryFromCompressed(bytes, out var point, out var error)) throw new FormatException(error);
        return point;
    }

    public static bool TryFromCompressed(ReadOnlySpan<byte> bytes, out G1Point point, out string error)
    {
        point = Identity;
        if (bytes.Length != CompressedLength) { error = $"G1 compressed point must be {CompressedLength} bytes."; return false; }
        byte flags = bytes[0];
        if ((flags & 0x80) == 0) { error = "G1 point is not in compressed form."; return false; }
        bool infinity = (flags & 0x40) != 0;
        bool sign = (flags & 0x20) != 0;
        Span<byte> xBytes = stackalloc byte[CompressedLength];
        bytes.CopyTo(xBytes);
        xBytes[0] &= 0x1f;
        if (infinity)
        {
            bool rest0 = !sign && xBytes.IndexOfAnyExcept((byte)0) < 0;
            error = rest0 ? "" : "G1 infinity encoding has non-zero bits.";
            return rest0;
        }
        var xv = new BigInteger(xBytes, isUnsigned: true, isBigEndian: true);
        if (xv >= Fp.P) { error = "G1 x coordinate is not canonical."; return false; }
        var x = new Fp(xv);
        if (!(x.Square() * x + B).TrySqrt(out var y)) { error = "G1 point is not on the curve."; return false; }
        if (y.IsLexicographicallyLargest != sign) y = -y;
        var candidate = new G1Point(JacobianPoint<Fp>.FromAffine(x, y));
        if (!candidate.IsInSubgroup) { error = "G1 point is not in the prime-order subgroup."; return false; }
        point = candidate;
        error = "";
        return true;
    }

    public bool Equals(G1Point? other) => other is not null && P.EqualsPoint(other.P);
    public override bool Equals(object? obj) => Equals(obj as G1Point);
    public override int GetHashCode() => IsIdentity ? 0 : ToCompressed()[47];
    public override string ToString() => "G1(" + Convert.ToHexStringLower(ToCompressed()) + ")";
}
