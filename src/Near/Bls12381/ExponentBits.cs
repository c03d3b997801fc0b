using System.Numerics;

namespace Keystore.Near.Bls12381;

/// <summary>Big-endian bits of a public exponent, extracted once (shifting a BigInteger per bit would allocate per step).</summary>
internal static class ExponentBits
{
    public static bool[] Of(BigInteger exponent)
    {
        var bytes = exponent.ToByteArray(isUnsigned: true, isBigEndian: true);
        var bits = new bool[bytes.Length * 8];
        for (int i = 0; i < bytes.Length; i++)
            for (int b = 0; b < 8; b++) bits[i * 8 + b] = ((bytes[i] >> (7 - b)) & 1) != 0;
        int first = Array.IndexOf(bits, true);
        return first < 0 ? [] : bits[first..];
    }
}
