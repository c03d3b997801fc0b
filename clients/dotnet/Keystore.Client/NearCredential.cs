using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace Keystore.Client;

/// <summary>
/// The keystore's <c>Authorization: NEAR &lt;credential&gt;</c>: a NEP-413 signature (what near-api-js's
/// <c>signNep413Message</c> makes) over <c>"METHOD path\nsha256hex(body)\ntimestampMs"</c>, sent as base64url JSON.
/// </summary>
public static class NearCredential
{
    /// <summary>The keystore's default <c>Keystore:ServiceName</c>, the NEP-413 recipient.</summary>
    public const string DefaultRecipient = "near-tee-keystore";

    /// <summary>NEP-413's tag, 2^31 + 413, written before the payload so it can never be a valid transaction.</summary>
    public const uint Nep413Tag = 2147484061;

    /// <summary>The text every request signs.</summary>
    public static string Message(string method, string pathAndQuery, ReadOnlySpan<byte> body, long timestampMs) =>
        $"{method} {pathAndQuery}\n{Convert.ToHexStringLower(SHA256.HashData(body))}\n{timestampMs}";

    /// <summary>sha256(borsh(u32 tag) ‖ borsh({message, nonce: [u8; 32], recipient, callbackUrl: None})): what ed25519 signs.</summary>
    public static byte[] Nep413Hash(string message, ReadOnlySpan<byte> nonce, string recipient)
    {
        if (nonce.Length != 32) throw new ArgumentException("A NEP-413 nonce is 32 bytes.", nameof(nonce));
        using var buffer = new MemoryStream();
        Span<byte> u32 = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(u32, Nep413Tag);
        buffer.Write(u32);
        WriteString(buffer, message, u32);
        buffer.Write(nonce);
        WriteString(buffer, recipient, u32);
        buffer.WriteByte(0); // callbackUrl: None
        return SHA256.HashData(buffer.ToArray());
    }

    /// <summary>The credential (the part after <c>NEAR </c>) for one request.</summary>
    public static string Create(string method, string pathAndQuery, ReadOnlySpan<byte> body, string accountId, NearKeyPair key,
        long? timestampMs = null, byte[]? nonce = null, string recipient = DefaultRecipient) =>
        Create(method, pathAndQuery, body, accountId, key.PublicKey, hash => key.Sign(hash), timestampMs, nonce, recipient);

    /// <summary>The same with any ed25519 signer (<paramref name="sign"/> signs the 32-byte NEP-413 hash).</summary>
    public static string Create(string method, string pathAndQuery, ReadOnlySpan<byte> body, string accountId, string publicKey,
        Func<byte[], byte[]> sign, long? timestampMs = null, byte[]? nonce = null, string recipient = DefaultRecipient)
    {
        ArgumentNullException.ThrowIfNull(sign);
        long ts = timestampMs ?? DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        nonce ??= RandomNumberGenerator.GetBytes(32);
        byte[] signature = sign(Nep413Hash(Message(method, pathAndQuery, body, ts), nonce, recipient));
        var json = new JsonObject
        {
            ["accountId"] = accountId,
            ["publicKey"] = publicKey,
            ["nonce"] = Convert.ToBase64String(nonce),
            ["timestampMs"] = ts,
            ["signature"] = Convert.ToBase64String(signature),
        };
        return Convert.ToBase64String(Encoding.UTF8.GetBytes(json.ToJsonString())).TrimEnd('=').Replace('+', '-').Replace('/', '_');
    }

    private static void WriteString(MemoryStream buffer, string text, Span<byte> u32)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(text);
        BinaryPrimitives.WriteUInt32LittleEndian(u32, (uint)bytes.Length);
        buffer.Write(u32);
        buffer.Write(bytes);
    }
}
