using System.Security.Cryptography;
using Keystore.Near.Bls12381;

namespace Keystore.Near.Ckd;

/// <summary>The CKD primitives (near/mpc confidential key derivation), each usable on its own for tests and tools.</summary>
public static class CkdCrypto
{
    /// <summary>H = hash_to_curve_G1(compressed(mpc_pk) ‖ app_id) with DST "NEAR BLS12381G1_XMD:SHA-256_SSWU_RO_".</summary>
    public static G1Point HashPoint(G2Point mpcPublicKey, ReadOnlySpan<byte> appId) =>
        HashToCurve.HashToG1([.. mpcPublicKey.ToCompressed(), .. appId], HashToCurve.NearCkdDst);

    /// <summary>sig = C − a·Y (the y·A mask cancels because a·Y = a·y·G1 = y·A).</summary>
    public static G1Point Decrypt(CkdResponse response, ReadOnlySpan<byte> ephemeralSecret) =>
        response.BigC - response.BigY.Multiply(ephemeralSecret);

    /// <summary>e(H, pk) == e(sig, G2), after rejecting identity and out-of-subgroup points.</summary>
    public static bool Verify(G1Point signature, G2Point mpcPublicKey, ReadOnlySpan<byte> appId)
    {
        if (signature.IsIdentity || mpcPublicKey.IsIdentity) return false;
        if (!signature.IsOnCurve || !signature.IsInSubgroup || !mpcPublicKey.IsOnCurve || !mpcPublicKey.IsInSubgroup) return false;
        var h = HashPoint(mpcPublicKey, appId);
        return Pairing.PairingsEqual(h, mpcPublicKey, signature, G2Point.Generator);
    }

    /// <summary>The length of the secret the keystore derives.</summary>
    public const int SecretLength = 32;

    /// <summary>HKDF-SHA256 into a new array: for vectors and tools; secrets go through the span overload.</summary>
    public static byte[] DeriveSecret(ReadOnlySpan<byte> compressedSignature, CkdKdfOptions options, int length = SecretLength)
    {
        var output = new byte[length];
        DeriveSecret(compressedSignature, options, output);
        return output;
    }

    /// <summary>HKDF-SHA256 straight into the caller's (pinned) buffer, so the secret is never in an array it does not own.</summary>
    public static void DeriveSecret(ReadOnlySpan<byte> compressedSignature, CkdKdfOptions options, Span<byte> destination) =>
        HKDF.DeriveKey(HashAlgorithmName.SHA256, compressedSignature, destination, options.Salt ?? [], options.Info);
}
