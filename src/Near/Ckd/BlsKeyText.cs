using Keystore.Near.Bls12381;
using Keystore.Near.Encoding;

namespace Keystore.Near.Ckd;

/// <summary>NEAR MPC's text form of BLS12-381 points: <c>bls12381g1:&lt;base58 of 48-byte compressed&gt;</c> and <c>bls12381g2:&lt;base58 of 96 bytes&gt;</c>.</summary>
public static class BlsKeyText
{
    public const string G1Prefix = "bls12381g1:";
    public const string G2Prefix = "bls12381g2:";

    public static string Encode(G1Point point) => G1Prefix + Base58.Encode(point.ToCompressed());
    public static string Encode(G2Point point) => G2Prefix + Base58.Encode(point.ToCompressed());

    /// <summary>Parses and fully validates (on curve, in subgroup) a G1 point.</summary>
    public static G1Point ParseG1(string text) => G1Point.FromCompressed(DecodeBody(text, G1Prefix, G1Point.CompressedLength));

    public static G2Point ParseG2(string text) => G2Point.FromCompressed(DecodeBody(text, G2Prefix, G2Point.CompressedLength));

    private static byte[] DecodeBody(string text, string prefix, int length)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (!text.StartsWith(prefix, StringComparison.Ordinal)) throw new FormatException($"Expected a '{prefix}' key.");
        if (!Base58.TryDecode(text[prefix.Length..], out var bytes) || bytes.Length != length)
            throw new FormatException($"'{prefix}' key must be base58 of {length} bytes.");
        return bytes;
    }
}
