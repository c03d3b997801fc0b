using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Keystore.Webhooks;

/// <summary>
/// The <c>X-Keystore-Signature</c> header: <c>t=&lt;unix seconds&gt;,v1=&lt;hex HMAC-SHA256(secret, t + "." + body)&gt;</c>, where
/// the key is the 32 bytes of the secret (base64url-decoded) and <c>body</c> the exact bytes posted. A receiver recomputes
/// it, compares in constant time and refuses a <c>t</c> too far from its clock (replays).
/// </summary>
public static class WebhookSignature
{
    public const string Header = "X-Keystore-Signature";
    public const string EventHeader = "X-Keystore-Event";
    public const string DeliveryHeader = "X-Keystore-Delivery";

    public static string Create(ReadOnlySpan<byte> secret, long unixSeconds, ReadOnlySpan<byte> body)
    {
        string t = unixSeconds.ToString(CultureInfo.InvariantCulture);
        byte[] message = new byte[t.Length + 1 + body.Length];
        Encoding.ASCII.GetBytes(t, message);
        message[t.Length] = (byte)'.';
        body.CopyTo(message.AsSpan(t.Length + 1));
        Span<byte> mac = stackalloc byte[32];
        HMACSHA256.HashData(secret, message, mac);
        return $"t={t},v1={Convert.ToHexStringLower(mac)}";
    }
}
