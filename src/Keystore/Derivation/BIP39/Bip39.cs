using System.Reflection;
using System.Security.Cryptography;
using System.Text;

namespace Keystore.Derivation.BIP39;

/// <summary>
/// BIP39 mnemonic encoding (English list) and seed derivation. Mnemonics are built as UTF-8 bytes in
/// caller-owned buffers rather than strings, because a managed string cannot be wiped.
/// </summary>
public static class Bip39
{
    /// <summary>Longest English word (8 letters) plus a separator, times 24 words.</summary>
    public const int MaxMnemonicBytes = 24 * 9;

    private static readonly Lazy<string[]> Words = new(LoadWordList);

    /// <summary>
    /// Writes the mnemonic of <paramref name="entropy"/> (16–32 bytes, a multiple of 4) into
    /// <paramref name="destination"/> as space-separated ASCII words and returns the byte count.
    /// English words are ASCII, so this is already the NFKD form BIP39 hashes.
    /// </summary>
    public static int WriteMnemonic(ReadOnlySpan<byte> entropy, Span<byte> destination)
    {
        if (entropy.Length is < 16 or > 32 || entropy.Length % 4 != 0)
            throw new ArgumentException("BIP39 entropy is 16, 20, 24, 28 or 32 bytes.", nameof(entropy));

        Span<byte> checksum = stackalloc byte[32];
        SHA256.HashData(entropy, checksum);
        int entropyBits = entropy.Length * 8;
        int wordCount = (entropyBits + entropyBits / 32) / 11;
        string[] words = Words.Value;

        int written = 0;
        for (int w = 0; w < wordCount; w++)
        {
            int index = 0;
            for (int b = 0; b < 11; b++)
            {
                int bit = w * 11 + b;
                byte source = bit < entropyBits ? entropy[bit / 8] : checksum[(bit - entropyBits) / 8];
                index = (index << 1) | ((source >> (7 - bit % 8)) & 1);
            }
            if (w > 0) destination[written++] = (byte)' ';
            written += Encoding.ASCII.GetBytes(words[index], destination[written..]);
        }
        CryptographicOperations.ZeroMemory(checksum);
        return written;
    }

    /// <summary>
    /// seed = PBKDF2-HMAC-SHA512(password = mnemonic, salt = "mnemonic" + passphrase, 2048, 64 bytes).
    /// </summary>
    public static void DeriveSeed(ReadOnlySpan<byte> mnemonicUtf8, ReadOnlySpan<byte> passphraseUtf8, Span<byte> seed64)
    {
        if (seed64.Length != 64)
            throw new ArgumentException("A BIP39 seed is 64 bytes.", nameof(seed64));
        Span<byte> salt = stackalloc byte[8 + passphraseUtf8.Length];
        "mnemonic"u8.CopyTo(salt);
        passphraseUtf8.CopyTo(salt[8..]);
        Rfc2898DeriveBytes.Pbkdf2(mnemonicUtf8, salt, seed64, 2048, HashAlgorithmName.SHA512);
        CryptographicOperations.ZeroMemory(salt);
    }

    private static string[] LoadWordList()
    {
        using Stream stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("Keystore.Derivation.BIP39.english.txt")
            ?? throw new InvalidOperationException("The BIP39 English word list is missing from the assembly.");
        using var reader = new StreamReader(stream, Encoding.ASCII);
        string[] words = reader.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (words.Length != 2048)
            throw new InvalidOperationException($"The BIP39 word list has {words.Length} words, not 2048.");
        return words;
    }
}
