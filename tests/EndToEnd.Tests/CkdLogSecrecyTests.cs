using System.Net;
using System.Security.Cryptography;
using System.Text;
using Keystore.EndToEnd.Tests.Support;
using Keystore.LocalNear.Genesis;
using Keystore.Near.Bls12381;
using Keystore.Near.Ckd;
using Keystore.Near.Encoding;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Keystore.EndToEnd.Tests;

/// <summary>
/// The production path at Trace: a ckd keystore registers, asks the MPC network through the DAO, boots and
/// serves, and no log record or response holds the master secret, the decrypted CKD signature, an account's
/// entropy or the registrar's key.
/// </summary>
public sealed class CkdLogSecrecyTests(NetworkFixture fixture) : IClassFixture<NetworkFixture>
{
    private LocalKeystoreNetwork Net => fixture.Network;

    [Fact]
    public async Task A_ckd_boot_at_Trace_leaks_no_secret_to_logs_or_responses()
    {
        // The expected secret from the MPC key the local chain runs with, not through the keystore's decryption:
        // sig = msk·H(pk, app_id), master = HKDF-SHA256(salt, compressed(sig), info).
        var config = await new Keystore.Dao.TeeDaoClient(Net.Rpc, LocalKeystoreNetwork.Dao).GetConfigAsync(CancellationToken.None);
        byte[] msk = Convert.FromHexString(LocalMpcOptions.DevMasterKeyHex);
        G1Point signature = CkdCrypto.HashPoint(G2Point.Generator.Multiply(msk), CkdAppId.Derive(LocalKeystoreNetwork.Dao, config.CkdPath)).Multiply(msk);
        byte[] compressed = signature.ToCompressed();
        byte[] master = HKDF.DeriveKey(HashAlgorithmName.SHA256, compressed, 32, "near-mpc-ckd-hkdf-v1"u8.ToArray(), "near-mpc-ckd-strong-key-v1"u8.ToArray());
        byte[] entropy = HMACSHA256.HashData(master, Encoding.UTF8.GetBytes("near-tee-keystore:v1:user:" + LocalKeystoreNetwork.Owner));

        var log = new CapturedLog();
        var responses = new List<(string Request, string Text)>();
        SecretScanner forbidden;
        await using (KeystoreNode keystore = await Net.StartKeystoreAsync(new Dictionary<string, string?>
        {
            ["Logging:LogLevel:Default"] = "Trace",
            ["Logging:LogLevel:Microsoft"] = "Trace",
            ["Logging:LogLevel:Microsoft.AspNetCore"] = "Trace",
            ["Logging:LogLevel:System"] = "Trace",
            ["Logging:LogLevel:System.Net.Http.HttpClient"] = "Trace",
        }, configure: builder =>
        {
            builder.Logging.ClearProviders();
            builder.Logging.SetMinimumLevel(LogLevel.Trace);
            builder.Logging.AddProvider(log);
        }))
        {
            // The secret looked for is the one the keystore holds.
            byte[] held = new byte[32];
            keystore.Services.GetRequiredService<Keystore.Boot.KeystoreState>().RequireMasterSecret().HmacSha256("probe"u8, held);
            Assert.Equal(System.Security.Cryptography.HMACSHA256.HashData(master, "probe"u8), held);
            // (The worker's own key is created non-exportable: there are no bytes of it to leak, nor to look for.)
            byte[] registrarKey = Base58.Decode(Net.Key(LocalKeystoreNetwork.Root).ExportSecretKey()["ed25519:".Length..]);
            forbidden = new SecretScanner()
                .AddBytes("master secret", master)
                .AddBytes("CKD signature (compressed)", compressed)
                .AddBytes("entropy", entropy)
                .AddBytes("registrar key", registrarKey)
                .AddBytes("registrar key seed", registrarKey[..32]);

            async Task SendAsync(HttpRequestMessage request, HttpStatusCode expected)
            {
                string label = $"{request.Method} {request.RequestUri}";
                using HttpResponseMessage response = await keystore.Client.SendAsync(request);
                string body = await response.Content.ReadAsStringAsync();
                responses.Add((label, response.Headers + "\n" + response.Content.Headers + "\n" + body));
                Assert.True(response.StatusCode == expected, $"{label}: expected {(int)expected}, got {(int)response.StatusCode} {body}");
            }

            foreach (string path in new[] { "/v1/ready", "/v1/attestation", "/v1/attestation/registration" })
                await SendAsync(new HttpRequestMessage(HttpMethod.Get, path), HttpStatusCode.OK);
            foreach (string chain in new[] { "ethereum", "bitcoin", "solana" })
                await SendAsync(new HttpRequestMessage(HttpMethod.Get, $"/v1/accounts/{LocalKeystoreNetwork.Owner}/keys/{chain}"), HttpStatusCode.OK);
            string path0 = $"/v1/accounts/{LocalKeystoreNetwork.Owner}/sign/ethereum";
            await SendAsync(KeystoreNode.SignedPost(path0, """{"message":"hello"}""", LocalKeystoreNetwork.Owner, Net.Key(LocalKeystoreNetwork.Owner)), HttpStatusCode.OK);
            await SendAsync(KeystoreNode.SignedPost(path0, """{"message":"hello"}""", LocalKeystoreNetwork.Owner, Net.Key("bob.test.near")), HttpStatusCode.Forbidden);
            await SendAsync(KeystoreNode.SignedPost(path0, "{not json", LocalKeystoreNetwork.Owner, Net.Key(LocalKeystoreNetwork.Owner)), HttpStatusCode.BadRequest);
        }

        IReadOnlyCollection<CapturedLogRecord> records = log.Records;
        Assert.Contains(records, r => r.Level == LogLevel.Trace);
        // Every step of the boot logged, the CKD request and answer among them.
        foreach (string category in new[] { "Keystore.Boot.Steps.RegisterStep", "Keystore.MasterSecrets.CkdMasterSecretSource", "Keystore.Boot.Steps.MasterSecretStep" })
            Assert.True(records.Any(r => r.Category == category), $"nothing logged by {category}");
        var leaks = new List<string>();
        foreach (CapturedLogRecord record in records)
            foreach (string name in forbidden.Find(record.Text))
                leaks.Add($"log [{record.Level} {record.Category}]: {name}");
        foreach (var (request, text) in responses)
            foreach (string name in forbidden.Find(text))
                leaks.Add($"response to {request}: {name}");
        Assert.True(leaks.Count == 0, "Secrets leaked:\n" + string.Join("\n", leaks.Distinct()));

        // The scanner would have seen them: each secret, put in a record's text, is found.
        foreach (var (name, value) in forbidden.Needles)
            Assert.Contains(name, forbidden.Find("value <" + value + ">"));
    }
}
