using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace Keystore.Audit;

/// <summary>
/// One link of the chain, as operators see it: no account data, only hashes and the signature.
/// <c>hash = SHA-256("near-tee-keystore:v1:audit-entry" || 0x00 || seq (u64 big-endian) || prev || contentHash)</c>, where
/// <c>contentHash = SHA-256(content)</c> of the entry's JSON text (owners get that text; it carries a random salt so a
/// content hash cannot be guessed from a few likely values), and <c>signature</c> is ed25519 over <c>hash</c> by the audit key.
/// The first entry has sequence 1 and <c>prev</c> = 32 zero bytes.
/// </summary>
public sealed record AuditEntry(long Sequence, DateTimeOffset At, byte[] Previous, byte[] ContentHash, byte[] Hash, byte[] Signature)
{
    public const int HashLength = 32;
    public const string Domain = "near-tee-keystore:v1:audit-entry";

    public static byte[] ComputeHash(long sequence, ReadOnlySpan<byte> previous, ReadOnlySpan<byte> contentHash)
    {
        if (previous.Length != HashLength || contentHash.Length != HashLength)
            throw new ArgumentException("prev and contentHash are 32 bytes each.");
        byte[] domain = Encoding.ASCII.GetBytes(Domain);
        byte[] message = new byte[domain.Length + 1 + 8 + HashLength * 2];
        domain.CopyTo(message, 0);
        int at = domain.Length + 1;
        BinaryPrimitives.WriteInt64BigEndian(message.AsSpan(at), sequence);
        previous.CopyTo(message.AsSpan(at + 8));
        contentHash.CopyTo(message.AsSpan(at + 8 + HashLength));
        return SHA256.HashData(message);
    }
}
