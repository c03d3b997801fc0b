using System.Buffers.Text;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Keystore.Client;

/// <summary>
/// Checks a webhook delivery, so a receiver needs no HMAC code of its own: the keystore sends
/// <c>X-Keystore-Signature: t=&lt;unix seconds&gt;,v1=&lt;hex HMAC-SHA256(secret, t + "." + body)&gt;</c>, keyed with the 32 bytes
/// of the secret <c>PUT …/webhook</c> answered (base64url).
/// </summary>
public static class WebhookSignatureVerifier
{
    public const string Header = "X-Keystore-Signature";
    public const string EventHeader = "X-Keystore-Event";
    /// <summary>The delivery's id, the same on every retry: ignore one already handled.</summary>
    public const string DeliveryHeader = "X-Keystore-Delivery";

    /// <summary>How far <c>t</c> may be from the receiver's clock by default (a replayed delivery is older).</summary>
    public static readonly TimeSpan DefaultTolerance = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Whether <paramref name="header"/> signs exactly <paramref name="body"/> (the bytes received, before any parsing) with
    /// <paramref name="secret"/>, at a time within <paramref name="tolerance"/> of <paramref name="now"/> (default: the clock).
    /// The MAC is compared in constant time; a missing or malformed header is false.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="secret"/> is not base64url (the secret is not in the message).</exception>
    public static bool Verify(string secret, string? header, ReadOnlySpan<byte> body, TimeSpan? tolerance = null, DateTimeOffset? now = null)
    {
        ArgumentNullException.ThrowIfNull(secret);
        byte[] key = new byte[Base64Url.GetMaxDecodedLength(secret.Length)];
        try
        {
            if (Base64Url.DecodeFromChars(secret, key, out _, out int keyLength) != System.Buffers.OperationStatus.Done || keyLength == 0)
                throw new ArgumentException("The webhook secret is the base64url text the keystore answered.", nameof(secret));
            if (!TryParse(header, out long t, out string? tText, out string? v1)) return false;
            long nowSeconds = (now ?? DateTimeOffset.UtcNow).ToUnixTimeSeconds();
            if (Math.Abs(nowSeconds - t) > (tolerance ?? DefaultTolerance).TotalSeconds) return false;

            // Signed over t as the header writes it.
            byte[] prefix = Encoding.ASCII.GetBytes(tText + ".");
            using var hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, key.AsSpan(0, keyLength));
            hmac.AppendData(prefix);
            hmac.AppendData(body);
            Span<byte> expected = stackalloc byte[32];
            hmac.GetHashAndReset(expected);
            Span<byte> given = stackalloc byte[32];
            Convert.FromHexString(v1, given, out _, out _);
            return CryptographicOperations.FixedTimeEquals(expected, given);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(key);
        }
    }

    /// <summary><c>t=&lt;digits&gt;</c> and <c>v1=&lt;64 hex&gt;</c>, each once; other members are ignored (a later scheme may add some).</summary>
    private static bool TryParse(string? header, out long t, [NotNullWhen(true)] out string? tText, [NotNullWhen(true)] out string? v1)
    {
        t = 0;
        tText = null;
        v1 = null;
        if (string.IsNullOrEmpty(header) || header.Length > 1024) return false;
        foreach (string part in header.Split(','))
        {
            int eq = part.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0) return false;
            string name = part[..eq].Trim(), value = part[(eq + 1)..].Trim();
            if (name == "t")
            {
                if (tText is not null || value.Length is 0 or > 18 || !value.All(char.IsAsciiDigit)) return false;
                t = long.Parse(value, CultureInfo.InvariantCulture);
                tText = value;
            }
            else if (name == "v1")
            {
                if (v1 is not null || value.Length != 64 || !value.All(char.IsAsciiHexDigit)) return false;
                v1 = value;
            }
        }
        return tText is not null && v1 is not null;
    }
}
