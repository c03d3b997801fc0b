using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Keystore.Auth;
using Keystore.Chains;
using Keystore.Near.Nep413;
using Keystore.Tests.Support;
using NSec.Cryptography;

namespace Keystore.Tests.Auth;

/// <summary>
/// A credential made by near-api-js's own NEP-413 signer is accepted: the keystore's idea of the
/// signed bytes is NEAR's, not just its own.
/// </summary>
public class NearApiJsCredentialTests
{
    [Fact]
    public async Task A_request_signed_by_near_api_js_is_accepted()
    {
        byte[] seed = RandomNumberGenerator.GetBytes(32);
        using var key = Key.Import(SignatureAlgorithm.Ed25519, seed, KeyBlobFormat.RawPrivateKey);
        byte[] publicKey = key.PublicKey.Export(KeyBlobFormat.RawPublicKey);
        string near = new Keystore.Near.Keys.Ed25519PublicKey(publicKey).ToString();

        await using KeystoreServer server = await KeystoreServer.StartAsync(new Dictionary<string, string?>
        {
            ["Keystore:Owners:carol.near:0"] = near,
        });

        const string path = "/v1/accounts/carol.near/sign/ethereum";
        const string body = """{"message":"signed by near-api-js"}""";
        long ts = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        byte[] nonce = RandomNumberGenerator.GetBytes(32);
        string message = NearAuthorization.SignedMessage("POST", path, Encoding.UTF8.GetBytes(body), ts);

        JsonNode signed = await NodeOracle.RunAsync("keystore-nep413.mjs", new JsonObject
        {
            ["secretKey"] = "ed25519:" + Base58.Encode([.. seed, .. publicKey]),
            ["accountId"] = "carol.near",
            ["message"] = message,
            ["recipient"] = "near-tee-keystore",
            ["nonce"] = Convert.ToBase64String(nonce),
        });
        Assert.Equal(near, signed["publicKey"]!.GetValue<string>());

        // Our own NEP-413 hash gives the same signature bytes (ed25519 is deterministic).
        Assert.Equal(
            Convert.ToBase64String(SignatureAlgorithm.Ed25519.Sign(key, Nep413Payload.Hash(message, nonce, "near-tee-keystore"))),
            signed["signature"]!.GetValue<string>());

        string credential = Convert.ToBase64String(Encoding.UTF8.GetBytes(new JsonObject
        {
            ["accountId"] = "carol.near",
            ["publicKey"] = near,
            ["nonce"] = Convert.ToBase64String(nonce),
            ["timestampMs"] = ts,
            ["signature"] = signed["signature"]!.GetValue<string>(),
        }.ToJsonString())).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Authorization = new AuthenticationHeaderValue("NEAR", credential);
        using HttpResponseMessage response = await server.Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("0x", JsonNode.Parse(await response.Content.ReadAsStringAsync())!["signature"]!.GetValue<string>());
    }
}
