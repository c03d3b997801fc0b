using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using NSec.Cryptography;

namespace Keystore.Export;

/// <summary>
/// Encrypts to one age X25519 recipient in the age v1 format (age-encryption.org/v1), with NSec (libsodium):
/// a fresh 16-byte file key wrapped in an X25519 stanza, the header MAC, and the payload in 64 KiB
/// ChaCha20-Poly1305 STREAM chunks. Randomness comes from libsodium's generator, which reads the OS CSPRNG.
/// The plaintext is only read; every key, share and derived secret made here is wiped before returning.
/// </summary>
public static class AgeEncryptor
{
    public const int ChunkSize = 64 * 1024;

    private const int FileKeySize = 16;
    private const int PayloadNonceSize = 16;
    private const int TagSize = 16;
    private const string X25519Info = "age-encryption.org/v1/X25519";

    private static readonly AeadAlgorithm ChaCha = AeadAlgorithm.ChaCha20Poly1305;
    private static readonly KeyDerivationAlgorithm Hkdf = KeyDerivationAlgorithm.HkdfSha256;

    /// <summary>The binary age file of <paramref name="plaintext"/> for <paramref name="recipient"/>.</summary>
    public static byte[] Encrypt(AgeRecipient recipient, ReadOnlySpan<byte> plaintext)
    {
        Span<byte> fileKey = stackalloc byte[FileKeySize];
        try
        {
            RandomNumberGenerator.Fill(fileKey);
            byte[] header = Header(recipient, fileKey);
            int chunks = Math.Max(1, (plaintext.Length + ChunkSize - 1) / ChunkSize);
            var file = new byte[header.Length + PayloadNonceSize + plaintext.Length + chunks * TagSize];
            header.CopyTo(file, 0);
            WritePayload(fileKey, plaintext, file.AsSpan(header.Length));
            return file;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(fileKey);
        }
    }

    /// <summary>The armored form (PEM, label <c>AGE ENCRYPTED FILE</c>) that <c>age --decrypt</c> reads as it is.</summary>
    public static string EncryptArmored(AgeRecipient recipient, ReadOnlySpan<byte> plaintext) =>
        AgeArmor.Armor(Encrypt(recipient, plaintext));

    private static byte[] Header(AgeRecipient recipient, ReadOnlySpan<byte> fileKey)
    {
        Span<byte> ephemeralShare = stackalloc byte[32];
        Span<byte> wrappedKey = stackalloc byte[FileKeySize + TagSize];
        using (Key ephemeral = Key.Create(KeyAgreementAlgorithm.X25519))
        {
            ephemeral.PublicKey.TryExport(KeyBlobFormat.RawPublicKey, ephemeralShare, out _);
            PublicKey recipientKey = PublicKey.Import(KeyAgreementAlgorithm.X25519, recipient.PublicKey, KeyBlobFormat.RawPublicKey);
            // The parser refused low-order recipients, so the agreement cannot come out all zero.
            using SharedSecret shared = KeyAgreementAlgorithm.X25519.Agree(ephemeral, recipientKey)
                ?? throw new CryptographicException("X25519 agreement with the recipient failed.");
            Span<byte> salt = stackalloc byte[64];
            ephemeralShare.CopyTo(salt);
            recipient.PublicKey.CopyTo(salt[32..]);
            using Key wrapKey = Hkdf.DeriveKey(shared, salt, Encoding.ASCII.GetBytes(X25519Info), ChaCha);
            ChaCha.Encrypt(wrapKey, stackalloc byte[12], ReadOnlySpan<byte>.Empty, fileKey, wrappedKey);
        }

        var text = new StringBuilder();
        text.Append("age-encryption.org/v1\n");
        text.Append("-> X25519 ").Append(RawBase64(ephemeralShare)).Append('\n');
        text.Append(RawBase64(wrappedKey)).Append('\n'); // 43 characters: a stanza body shorter than 64 ends it
        text.Append("---");
        byte[] macInput = Encoding.ASCII.GetBytes(text.ToString());

        Span<byte> mac = stackalloc byte[32];
        Span<byte> macKey = stackalloc byte[32];
        try
        {
            Hkdf.DeriveBytes(fileKey, ReadOnlySpan<byte>.Empty, "header"u8, macKey);
            using Key hmacKey = Key.Import(MacAlgorithm.HmacSha256, macKey, KeyBlobFormat.RawSymmetricKey);
            MacAlgorithm.HmacSha256.Mac(hmacKey, macInput, mac);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(macKey);
        }
        text.Append(' ').Append(RawBase64(mac)).Append('\n');
        return Encoding.ASCII.GetBytes(text.ToString());
    }

    /// <summary>nonce ‖ chunk₀ ‖ … : chunk i under nonce i (11 bytes, big endian) ‖ final flag, the last one flagged 1.</summary>
    private static void WritePayload(ReadOnlySpan<byte> fileKey, ReadOnlySpan<byte> plaintext, Span<byte> output)
    {
        Span<byte> payloadNonce = output[..PayloadNonceSize];
        RandomNumberGenerator.Fill(payloadNonce);
        Span<byte> keyBytes = stackalloc byte[32];
        Key payloadKey;
        try
        {
            Hkdf.DeriveBytes(fileKey, payloadNonce, "payload"u8, keyBytes);
            payloadKey = Key.Import(ChaCha, keyBytes, KeyBlobFormat.RawSymmetricKey);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(keyBytes);
        }
        using (payloadKey)
        {
            Span<byte> nonce = stackalloc byte[12];
            int written = PayloadNonceSize;
            ulong counter = 0;
            int offset = 0;
            do
            {
                int length = Math.Min(ChunkSize, plaintext.Length - offset);
                bool last = offset + length == plaintext.Length;
                nonce.Clear();
                BinaryPrimitives.WriteUInt64BigEndian(nonce[3..11], counter);
                nonce[11] = last ? (byte)1 : (byte)0;
                ChaCha.Encrypt(payloadKey, nonce, ReadOnlySpan<byte>.Empty, plaintext.Slice(offset, length), output.Slice(written, length + TagSize));
                written += length + TagSize;
                offset += length;
                counter++;
            }
            while (offset < plaintext.Length);
        }
    }

    private static string RawBase64(ReadOnlySpan<byte> bytes) => Convert.ToBase64String(bytes).TrimEnd('=');
}
