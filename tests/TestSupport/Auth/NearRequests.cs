using System.Net.Http.Headers;
using System.Text;
using Keystore.Client;
using Keystore.Near.Keys;
using NSec.Cryptography;

namespace Keystore.TestSupport.Auth;

/// <summary>
/// Signed requests for tests that hold a bare NSec key (agent keys, strangers' keys) rather than a
/// <see cref="NearKeyPair"/>: the credential itself is always the client's (<see cref="NearCredential"/>).
/// </summary>
public static class NearRequests
{
    /// <summary>The credential (after <c>NEAR </c>) for one request, signed with an NSec ed25519 key.</summary>
    public static string Credential(string method, string pathAndQuery, byte[] body, string account, Key key) =>
        NearCredential.Create(method, pathAndQuery, body, account,
            new Ed25519PublicKey(key.PublicKey.Export(KeyBlobFormat.RawPublicKey)).ToString(),
            hash => SignatureAlgorithm.Ed25519.Sign(key, hash));

    /// <summary>A request carrying <paramref name="credential"/>, with <paramref name="jsonBody"/> as its JSON content if given.</summary>
    public static HttpRequestMessage Request(HttpMethod method, string pathAndQuery, string? jsonBody, string credential)
    {
        var request = new HttpRequestMessage(method, pathAndQuery);
        if (jsonBody is not null) request.Content = new StringContent(jsonBody, Encoding.UTF8, "application/json");
        request.Headers.Authorization = new AuthenticationHeaderValue("NEAR", credential);
        return request;
    }
}
