using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace Keystore.Auth;

/// <summary>
/// NEP-413 off-chain message signing: the signer signs
/// <c>sha256(borsh(u32 2^31+413) ‖ borsh({message, nonce: [u8;32], recipient, callbackUrl: Option&lt;string&gt;}))</c>.
/// The tag keeps such a signature from ever being a valid NEAR transaction.
/// </summary>
public static class Nep413Payload
{
    public const uint Tag = 2147484061; // 2^31 + 413

    public static byte[] Hash(string message, ReadOnlySpan<byte> nonce32, string recipient, string? callbackUrl = null)
    {
        if (nonce32.Length != 32)
            throw new ArgumentException("A NEP-413 nonce is 32 bytes.", nameof(nonce32));
        using var buffer = new MemoryStream();
        Span<byte> u32 = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(u32, Tag);
        buffer.Write(u32);
        WriteString(buffer, message);
        buffer.Write(nonce32);
        WriteString(buffer, recipient);
        if (callbackUrl is null)
        {
            buffer.WriteByte(0);
        }
        else
        {
            buffer.WriteByte(1);
            WriteString(buffer, callbackUrl);
        }
        return SHA256.HashData(buffer.ToArray());
    }

    private static void WriteString(Stream stream, string value)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(value);
        Span<byte> length = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(length, (uint)bytes.Length);
        stream.Write(length);
        stream.Write(bytes);
    }
}
