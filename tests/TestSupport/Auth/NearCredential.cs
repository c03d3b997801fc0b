using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Keystore.Near.Keys;
using Keystore.Near.Nep413;
using NSec.Cryptography;

namespace Keystore.TestSupport.Auth;

/// <summary>
/// The keystore's <c>Authorization: NEAR &lt;credential&gt;</c>, built exactly as the README tells a client to:
/// a NEP-413 signature over "METHOD path\nsha256(body)\ntimestampMs", sent as base64url JSON.
/// </summary>
public static class NearCredential
{
    /// <summary>The keystore's default <c>Keystore:ServiceName</c>, the NEP-413 recipient.</summary>
    public const string DefaultRecipient = "near-tee-keystore";

    public static string Create(string method, string pathAndQuery, byte[] body, string account, string publicKey,
        Func<byte[], byte[]> sign, long? timestampMs = null, byte[]? nonce = null, string recipient = DefaultRecipient)
    {
        long ts = timestampMs ?? DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        nonce ??= RandomNumberGenerator.GetBytes(32);
        string message = $"{method} {pathAndQuery}\n{Convert.ToHexStringLower(SHA256.HashData(body))}\n{ts}";
        byte[] signature = sign(Nep413Payload.Hash(message, nonce, recipient));
        var json = new JsonObject
        {
            ["accountId"] = account,
            ["publicKey"] = publicKey,
            ["nonce"] = Convert.ToBase64String(nonce),
            ["timestampMs"] = ts,
            ["signature"] = Convert.ToBase64String(signature),
        };
        return Convert.ToBase64String(Encoding.UTF8.GetBytes(json.ToJsonString())).TrimEnd('=').Replace('+', '-').Replace('/', '_');
    }

    /// <summary>Signed with an NSec ed25519 key.</summary>
    public static string Create(string method, string pathAndQuery, byte[] body, string account, Key key,
        long? timestampMs = null, byte[]? nonce = null, string recipient = DefaultRecipient) =>
        Create(method, pathAndQuery, body, account, new Ed25519PublicKey(key.PublicKey.Export(KeyBlobFormat.RawPublicKey)).ToString(),
            hash => SignatureAlgorithm.Ed25519.Sign(key, hash), timestampMs, nonce, recipient);

    /// <summary>Signed with a NEAR key pair.</summary>
    public static string Create(string method, string pathAndQuery, byte[] body, string account, Ed25519KeyPair key,
        long? timestampMs = null, byte[]? nonce = null, string recipient = DefaultRecipient) =>
        Create(method, pathAndQuery, body, account, key.PublicKey.ToString(), hash => key.Sign(hash), timestampMs, nonce, recipient);

    /// <summary>A request carrying <paramref name="credential"/>, with <paramref name="jsonBody"/> as its JSON content if given.</summary>
    public static HttpRequestMessage Request(HttpMethod method, string pathAndQuery, string? jsonBody, string credential)
    {
        var request = new HttpRequestMessage(method, pathAndQuery);
        if (jsonBody is not null) request.Content = new StringContent(jsonBody, Encoding.UTF8, "application/json");
        request.Headers.Authorization = new AuthenticationHeaderValue("NEAR", credential);
        return request;
    }
}
