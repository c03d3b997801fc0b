using Org.BouncyCastle.Crypto.Digests;

namespace Keystore.Chains.Ethereum;

/// <summary>Keccak-256 (the pre-standard SHA-3 padding Ethereum uses), from BouncyCastle.</summary>
public static class Keccak256
{
    public static void Hash(ReadOnlySpan<byte> data, Span<byte> destination32)
    {
        var digest = new KeccakDigest(256);
        digest.BlockUpdate(data);
        digest.DoFinal(destination32);
    }

    public static byte[] Hash(ReadOnlySpan<byte> data)
    {
        var result = new byte[32];
        Hash(data, result);
        return result;
    }
}
