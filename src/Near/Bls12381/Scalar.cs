using System.Numerics;
using System.Security.Cryptography;

namespace Keystore.Near.Bls12381;

/// <summary>The scalar field order r and helpers for 32-byte big-endian scalars (the form the CKD vectors use).</summary>
public static class Scalar
{
    public static readonly BigInteger R = BigInteger.Parse("073eda753299d7d483339d80809a1d80553bda402fffe5bfeffffffff00000001", System.Globalization.NumberStyles.HexNumber);
    public const int ByteLength = 32;
    private static readonly byte[] RBigEndian = R.ToByteArray(isUnsigned: true, isBigEndian: true);

    /// <summary>A uniformly random non-zero scalar from the OS CSPRNG (rejection sampling, no modulo bias).</summary>
    public static byte[] Random()
    {
        var bytes = new byte[ByteLength];
        FillRandom(bytes);
        return bytes;
    }

    /// <summary>As <see cref="Random"/>, into a buffer the caller owns (pinned, so it can be wiped where it lies).</summary>
    public static void FillRandom(Span<byte> destination32)
    {
        if (destination32.Length != ByteLength) throw new ArgumentException("A scalar is 32 bytes.", nameof(destination32));
        while (true)
        {
            RandomNumberGenerator.Fill(destination32);
            destination32[0] &= 0x7f; // r < 2^255: halves the rejection rate
            if (IsCanonicalNonZero(destination32)) return;
        }
    }

    // These checks see secret scalars: byte arithmetic without early exits, and no BigInteger (whose heap
    // array would keep a copy of the scalar that nothing can wipe).
    public static bool IsCanonicalNonZero(ReadOnlySpan<byte> scalarBigEndian)
    {
        if (scalarBigEndian.Length != ByteLength) return false;
        int any = 0;
        foreach (byte b in scalarBigEndian) any |= b;
        return (any != 0) & IsCanonical(scalarBigEndian);
    }

    /// <summary>True for 32 bytes below r: the subtraction scalar − r borrows.</summary>
    public static bool IsCanonical(ReadOnlySpan<byte> scalarBigEndian)
    {
        if (scalarBigEndian.Length != ByteLength) return false;
        int borrow = 0;
        for (int i = ByteLength - 1; i >= 0; i--)
            borrow = ((scalarBigEndian[i] - RBigEndian[i] - borrow) >> 31) & 1;
        return borrow == 1;
    }

    internal static byte[] ThreeRBigEndian33()
    {
        var bytes = new byte[33];
        var v = 3 * R;
        int n = v.GetByteCount(isUnsigned: true);
        v.TryWriteBytes(bytes.AsSpan(33 - n), out _, isUnsigned: true, isBigEndian: true);
        return bytes;
    }

    public static BigInteger ToBigInteger(ReadOnlySpan<byte> scalarBigEndian) => new(scalarBigEndian, isUnsigned: true, isBigEndian: true);

    public static byte[] FromBigInteger(BigInteger value)
    {
        value %= R;
        if (value.Sign < 0) value += R;
        var bytes = new byte[ByteLength];
        int n = value.GetByteCount(isUnsigned: true);
        value.TryWriteBytes(bytes.AsSpan(ByteLength - n), out _, isUnsigned: true, isBigEndian: true);
        return bytes;
    }
}
