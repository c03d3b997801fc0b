using System.Security.Cryptography;

namespace Keystore.Near.Bls12381;

/// <summary>RFC 9380 §5.3.1 expand_message_xmd with SHA-256 (b_in_bytes = 32, s_in_bytes = 64).</summary>
public static class ExpandMessageXmd
{
    public static byte[] Expand(ReadOnlySpan<byte> message, ReadOnlySpan<byte> dst, int lengthInBytes)
    {
        if (dst.Length > 255)
        {
            // §5.3.3: oversize DSTs are replaced by H("H2C-OVERSIZE-DST-" ‖ DST).
            dst = SHA256.HashData([.. "H2C-OVERSIZE-DST-"u8, .. dst]);
        }
        int ell = (lengthInBytes + 31) / 32;
        if (ell > 255 || lengthInBytes > 65535 || lengthInBytes <= 0) throw new ArgumentOutOfRangeException(nameof(lengthInBytes));
        byte[] dstPrime = [.. dst, (byte)dst.Length];

        using var h = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        h.AppendData(new byte[64]);
        h.AppendData(message);
        h.AppendData([(byte)(lengthInBytes >> 8), (byte)lengthInBytes, 0]);
        h.AppendData(dstPrime);
        var b0 = h.GetHashAndReset();

        var output = new byte[ell * 32];
        Span<byte> previous = stackalloc byte[32];
        Span<byte> mixed = stackalloc byte[32];
        for (int i = 1; i <= ell; i++)
        {
            if (i == 1) b0.CopyTo(mixed);
            else for (int k = 0; k < 32; k++) mixed[k] = (byte)(b0[k] ^ previous[k]);
            h.AppendData(mixed);
            h.AppendData([(byte)i]);
            h.AppendData(dstPrime);
            h.GetHashAndReset(previous);
            previous.CopyTo(output.AsSpan((i - 1) * 32));
        }
        return output.AsSpan(0, lengthInBytes).ToArray();
    }
}
