using System.Numerics;
using System.Runtime.CompilerServices;

namespace Keystore.Near.Bls12381;

/// <summary>
/// The BLS12-381 base field: six 64-bit little-endian limbs in Montgomery form (a·2^384 mod p), multiplied with
/// CIOS Montgomery reduction. Additions and multiplications have no data-dependent branches (the final
/// corrections use borrow masks), so the field arithmetic under a secret scalar runs in constant time.
/// </summary>
public readonly struct Fp : IFieldElement<Fp>, IEquatable<Fp>
{
    public static readonly BigInteger P = BigInteger.Parse("01a0111ea397fe69a4b1ba7b6434bacd764774b84f38512bf6730d2a0f6b0f6241eabfffeb153ffffb9feffffffffaaab", System.Globalization.NumberStyles.HexNumber);
    private static readonly BigInteger SqrtExponent = (P + 1) / 4;  // p ≡ 3 (mod 4)
    private static readonly BigInteger HalfP = (P - 1) / 2;
    public const int ByteLength = 48;

    private const ulong P0 = 0xb9feffffffffaaab, P1 = 0x1eabfffeb153ffff, P2 = 0x6730d2a0f6b0f624,
                        P3 = 0x64774b84f38512bf, P4 = 0x4b1ba7b6434bacd7, P5 = 0x1a0111ea397fe69a;
    private const ulong Inv = 0x89f3fffcfffcfffd; // −p⁻¹ mod 2^64

    private static readonly Fp R2 = FromLimbsRaw(Limbs((BigInteger.One << 768) % P)); // R² mod p, to enter Montgomery form
    private static readonly Fp MontOne = FromLimbsRaw(Limbs((BigInteger.One << 384) % P));
    private static readonly ulong[] HalfPLimbs = Limbs(HalfP);

    private readonly ulong _l0, _l1, _l2, _l3, _l4, _l5;

    private Fp(ulong l0, ulong l1, ulong l2, ulong l3, ulong l4, ulong l5)
    {
        _l0 = l0; _l1 = l1; _l2 = l2; _l3 = l3; _l4 = l4; _l5 = l5;
    }

    private static Fp FromLimbsRaw(ulong[] l) => new(l[0], l[1], l[2], l[3], l[4], l[5]);

    private static ulong[] Limbs(BigInteger v)
    {
        var bytes = new byte[48];
        v.TryWriteBytes(bytes, out _, isUnsigned: true, isBigEndian: false);
        var l = new ulong[6];
        for (int i = 0; i < 6; i++) l[i] = BitConverter.ToUInt64(bytes, i * 8);
        return l;
    }

    public Fp(BigInteger value)
    {
        value %= P;
        if (value.Sign < 0) value += P;
        this = FromLimbsRaw(Limbs(value)) * R2;
    }

    public Fp(long value) : this(new BigInteger(value)) { }

    /// <summary>The canonical integer value in [0, p).</summary>
    public BigInteger Value
    {
        get
        {
            var c = FromMontgomery();
            Span<byte> bytes = stackalloc byte[48];
            c.WriteLimbsLittleEndian(bytes);
            return new BigInteger(bytes, isUnsigned: true, isBigEndian: false);
        }
    }

    private Fp FromMontgomery() => MontMul(this, new Fp(1, 0, 0, 0, 0, 0));

    private void WriteLimbsLittleEndian(Span<byte> destination)
    {
        BitConverter.TryWriteBytes(destination[0..], _l0);
        BitConverter.TryWriteBytes(destination[8..], _l1);
        BitConverter.TryWriteBytes(destination[16..], _l2);
        BitConverter.TryWriteBytes(destination[24..], _l3);
        BitConverter.TryWriteBytes(destination[32..], _l4);
        BitConverter.TryWriteBytes(destination[40..], _l5);
    }

    public static Fp Zero => default;
    public static Fp One => MontOne;
    public static Fp FromBit(int bit)
    {
        // bit·R mod p without branching: mask the Montgomery one.
        ulong m = 0UL - (ulong)(bit & 1);
        var o = MontOne;
        return new(o._l0 & m, o._l1 & m, o._l2 & m, o._l3 & m, o._l4 & m, o._l5 & m);
    }

    public bool IsZero => (_l0 | _l1 | _l2 | _l3 | _l4 | _l5) == 0;
    public bool IsOne => Equals(MontOne);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong AddC(ulong a, ulong b, ref ulong carry)
    {
        ulong s = a + b;
        ulong c1 = s < a ? 1UL : 0UL;
        ulong r = s + carry;
        ulong c2 = r < s ? 1UL : 0UL;
        carry = c1 | c2;
        return r;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong SubB(ulong a, ulong b, ref ulong borrow)
    {
        ulong d = a - b;
        ulong b1 = a < b ? 1UL : 0UL;
        ulong r = d - borrow;
        ulong b2 = d < borrow ? 1UL : 0UL;
        borrow = b1 | b2;
        return r;
    }

    /// <summary>Subtracts p when the value is ≥ p, selecting with a mask rather than a branch.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Fp Reduce(ulong r0, ulong r1, ulong r2, ulong r3, ulong r4, ulong r5, ulong hiCarry)
    {
        ulong borrow = 0;
        ulong d0 = SubB(r0, P0, ref borrow), d1 = SubB(r1, P1, ref borrow), d2 = SubB(r2, P2, ref borrow);
        ulong d3 = SubB(r3, P3, ref borrow), d4 = SubB(r4, P4, ref borrow), d5 = SubB(r5, P5, ref borrow);
        // Keep r when the subtraction borrowed and there was no carry out: mask = all ones to keep r.
        ulong keep = 0UL - (borrow & (hiCarry ^ 1));
        return new((r0 & keep) | (d0 & ~keep), (r1 & keep) | (d1 & ~keep), (r2 & keep) | (d2 & ~keep),
                   (r3 & keep) | (d3 & ~keep), (r4 & keep) | (d4 & ~keep), (r5 & keep) | (d5 & ~keep));
    }

    public static Fp operator +(Fp a, Fp b)
    {
        ulong c = 0;
        ulong r0 = AddC(a._l0, b._l0, ref c), r1 = AddC(a._l1, b._l1, ref c), r2 = AddC(a._l2, b._l2, ref c);
        ulong r3 = AddC(a._l3, b._l3, ref c), r4 = AddC(a._l4, b._l4, ref c), r5 = AddC(a._l5, b._l5, ref c);
        return Reduce(r0, r1, r2, r3, r4, r5, c);
    }

    public static Fp operator -(Fp a, Fp b)
    {
        ulong borrow = 0;
        ulong r0 = SubB(a._l0, b._l0, ref borrow), r1 = SubB(a._l1, b._l1, ref borrow), r2 = SubB(a._l2, b._l2, ref borrow);
        ulong r3 = SubB(a._l3, b._l3, ref borrow), r4 = SubB(a._l4, b._l4, ref borrow), r5 = SubB(a._l5, b._l5, ref borrow);
        // On borrow add p back (mask, no branch).
        ulong m = 0UL - borrow;
        ulong c = 0;
        r0 = AddC(r0, P0 & m, ref c); r1 = AddC(r1, P1 & m, ref c); r2 = AddC(r2, P2 & m, ref c);
        r3 = AddC(r3, P3 & m, ref c); r4 = AddC(r4, P4 & m, ref c); r5 = AddC(r5, P5 & m, ref c);
        return new(r0, r1, r2, r3, r4, r5);
    }

    public static Fp operator -(Fp a) => Zero - a;

    public static Fp operator *(Fp a, Fp b) => MontMul(a, b);
    public static bool operator ==(Fp a, Fp b) => a.Equals(b);
    public static bool operator !=(Fp a, Fp b) => !a.Equals(b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong MulAdd(ulong a, ulong b, ulong c, ref ulong carry)
    {
        // a·b + c + carry < 2^128, so the high word never overflows.
        ulong hi = Math.BigMul(a, b, out ulong lo);
        lo += c;
        hi += lo < c ? 1UL : 0UL;
        lo += carry;
        hi += lo < carry ? 1UL : 0UL;
        carry = hi;
        return lo;
    }

    /// <summary>CIOS Montgomery multiplication: a·b·2^−384 mod p.</summary>
    private static Fp MontMul(in Fp a, in Fp b)
    {
        ulong t0 = 0, t1 = 0, t2 = 0, t3 = 0, t4 = 0, t5 = 0, t6 = 0;
        Span<ulong> bl = [b._l0, b._l1, b._l2, b._l3, b._l4, b._l5];
        for (int i = 0; i < 6; i++)
        {
            ulong bi = bl[i];
            ulong c = 0;
            t0 = MulAdd(a._l0, bi, t0, ref c);
            t1 = MulAdd(a._l1, bi, t1, ref c);
            t2 = MulAdd(a._l2, bi, t2, ref c);
            t3 = MulAdd(a._l3, bi, t3, ref c);
            t4 = MulAdd(a._l4, bi, t4, ref c);
            t5 = MulAdd(a._l5, bi, t5, ref c);
            ulong t6c = 0;
            t6 = AddC(t6, c, ref t6c);
            ulong m = t0 * Inv;
            c = 0;
            MulAdd(m, P0, t0, ref c);
            t0 = MulAdd(m, P1, t1, ref c);
            t1 = MulAdd(m, P2, t2, ref c);
            t2 = MulAdd(m, P3, t3, ref c);
            t3 = MulAdd(m, P4, t4, ref c);
            t4 = MulAdd(m, P5, t5, ref c);
            ulong c2 = 0;
            t5 = AddC(t6, c, ref c2);
            t6 = t6c + c2;
        }
        return Reduce(t0, t1, t2, t3, t4, t5, t6);
    }

    public Fp Square() => MontMul(this, this);
    public Fp Double() => this + this;

    /// <summary>Exponentiation by a public exponent (square-and-multiply over its bits).</summary>
    public Fp Pow(BigInteger exponent) => Pow(ExponentBits.Of(exponent));

    private Fp Pow(bool[] bits)
    {
        var result = MontOne;
        foreach (bool bit in bits)
        {
            result = result.Square();
            if (bit) result *= this;
        }
        return result;
    }

    private static readonly bool[] InverseBits = ExponentBits.Of(P - 2);
    private static readonly bool[] SqrtBits = ExponentBits.Of(SqrtExponent);

    /// <summary>Multiplicative inverse by Fermat (0 maps to 0, the RFC 9380 inv0 convention).</summary>
    public Fp Inverse() => Pow(InverseBits);

    /// <summary>A square root if one exists.</summary>
    public bool TrySqrt(out Fp root)
    {
        root = Pow(SqrtBits);
        return root.Square() == this;
    }

    /// <summary>ZCash "lexicographically largest" flag: y &gt; (p-1)/2.</summary>
    /// <remarks>
    /// Computed on limbs, as (p−1)/2 − y borrowing, rather than through <see cref="Value"/>: a BigInteger would
    /// leave a heap copy of the coordinate (the decrypted CKD signature's y) that nothing can wipe.
    /// </remarks>
    public bool IsLexicographicallyLargest
    {
        get
        {
            var c = FromMontgomery();
            ulong borrow = 0;
            SubB(HalfPLimbs[0], c._l0, ref borrow); SubB(HalfPLimbs[1], c._l1, ref borrow); SubB(HalfPLimbs[2], c._l2, ref borrow);
            SubB(HalfPLimbs[3], c._l3, ref borrow); SubB(HalfPLimbs[4], c._l4, ref borrow); SubB(HalfPLimbs[5], c._l5, ref borrow);
            return borrow != 0;
        }
    }

    /// <summary>RFC 9380 sgn0 for m = 1: parity of the canonical value.</summary>
    public int Sgn0 => (int)(FromMontgomery()._l0 & 1);

    public static Fp FromBytesBigEndian(ReadOnlySpan<byte> bytes)
    {
        var v = new BigInteger(bytes, isUnsigned: true, isBigEndian: true);
        if (v >= P) throw new FormatException("Field element is not canonical (≥ p).");
        return new(v);
    }

    /// <summary>Reduces an arbitrary-length big-endian integer mod p (hash_to_field).</summary>
    public static Fp FromBytesReduce(ReadOnlySpan<byte> bytes) => new(new BigInteger(bytes, isUnsigned: true, isBigEndian: true));

    public static Fp FromHex(string hex) => FromBytesBigEndian(Convert.FromHexString(hex.StartsWith("0x") ? hex[2..].PadLeft(96, '0') : hex.PadLeft(96, '0')));

    public void WriteBigEndian(Span<byte> destination)
    {
        var c = FromMontgomery();
        Span<byte> le = stackalloc byte[48];
        c.WriteLimbsLittleEndian(le);
        for (int i = 0; i < 48; i++) destination[i] = le[47 - i];
        le.Clear(); // the coordinate may be secret (the decrypted CKD signature)
    }

    public byte[] ToBytes()
    {
        var b = new byte[ByteLength];
        WriteBigEndian(b);
        return b;
    }

    // Montgomery form is unique for reduced values, so limb equality is value equality.
    public bool Equals(Fp other) =>
        ((_l0 ^ other._l0) | (_l1 ^ other._l1) | (_l2 ^ other._l2) | (_l3 ^ other._l3) | (_l4 ^ other._l4) | (_l5 ^ other._l5)) == 0;
    public override bool Equals(object? obj) => obj is Fp f && Equals(f);
    public override int GetHashCode() => HashCode.Combine(_l0, _l1, _l5);
    public override string ToString() => Convert.ToHexStringLower(ToBytes());
}
