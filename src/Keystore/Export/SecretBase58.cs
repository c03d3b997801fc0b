using System.Security.Cryptography;

namespace Keystore.Export;

/// <summary>
/// Base58 (Bitcoin alphabet) and Base58Check for secrets: the digits are computed in a pinned scratch
/// buffer that is wiped, and written straight into a <see cref="SecretText"/>, never into a string.
/// </summary>
public static class SecretBase58
{
    private static readonly byte[] Alphabet = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"u8.ToArray();

    public static void Append(SecretText output, ReadOnlySpan<byte> data)
    {
        int zeros = 0;
        while (zeros < data.Length && data[zeros] == 0) zeros++;
        // log(256) / log(58) < 1.37: enough base-58 digits for the number.
        int size = (data.Length - zeros) * 137 / 100 + 1;
        byte[] digits = GC.AllocateArray<byte>(size, pinned: true);
        try
        {
            int used = 0;
            for (int i = zeros; i < data.Length; i++)
            {
                int carry = data[i];
                int j = 0;
                for (int k = size - 1; k >= 0 && (carry != 0 || j < used); k--, j++)
                {
                    carry += 256 * digits[k];
                    digits[k] = (byte)(carry % 58);
                    carry /= 58;
                }
                used = j;
            }
            Span<byte> target = output.Reserve(zeros + used);
            target[..zeros].Fill(Alphabet[0]);
            for (int i = 0; i < used; i++) target[zeros + i] = Alphabet[digits[size - used + i]];
        }
        finally
        {
            CryptographicOperations.ZeroMemory(digits);
        }
    }

    /// <summary>Base58Check: the data followed by the first 4 bytes of its double SHA-256.</summary>
    public static void AppendChecked(SecretText output, ReadOnlySpan<byte> data)
    {
        byte[] withChecksum = GC.AllocateArray<byte>(data.Length + 4, pinned: true);
        Span<byte> hash = stackalloc byte[32];
        try
        {
            data.CopyTo(withChecksum);
            SHA256.HashData(data, hash);
            SHA256.HashData(hash, hash);
            hash[..4].CopyTo(withChecksum.AsSpan(data.Length));
            Append(output, withChecksum);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(withChecksum);
            CryptographicOperations.ZeroMemory(hash);
        }
    }
}
