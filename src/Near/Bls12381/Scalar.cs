using System.Numerics;
using System.Security.Cryptography;

namespace Keystore.Near.Bls12381;

/// <summary>The scalar field order r and helpers for 32-byte big-endian scalars (the form the CKD vectors use).</summary>
public static class Scalar
{
    public static readonly BigInteger R = BigInteger.Parse("073eda753299d7d483339d80809a1d80553bda402fffe5bfeffffffff00000001", System.Globalization.NumberStyles.HexNumber);
    public const int ByteLength = 32;

    /// <summary>A uniformly random non-zero scalar from the OS CSPRNG (rejection sampling, no modulo bias).</summary>
    public static byte[] Random()
    {
        var bytes = new byte[ByteLength];
        while (true)
        {
            RandomNumberGenerator.Fill(bytes);
            bytes[0] &= 0x7f; // r < 2^255: halves the rejection rate
            if (IsCanonicalNonZero(bytes)) return bytes;
        }
    }

    public static bool IsCanonicalNonZero(ReadOnlySpan<byte> scalarBigEndian)
    {
        if (scalarBigEndian.Length != ByteLength) return false;
        var v = new BigInteger(scalarBigEndian, isUnsigned: true, isBigEndian: true);
        return !v.IsZero && v < R;
    }

    public static bool IsCanonical(ReadOnlySpan<byte> scalarBigEndian) =>
        scalarBigEndian.Length == ByteLength && new BigInteger(scalarBigEndian, isUnsigned: true, isBigEndian: true) < R;

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
