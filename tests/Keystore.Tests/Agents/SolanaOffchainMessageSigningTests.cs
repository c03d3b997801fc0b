using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Keystore.Near.Encoding;
using Keystore.Tests.Support;
using NSec.Cryptography;

namespace Keystore.Tests.Agents;

/// <summary>
/// Solana off-chain messages through <c>POST …/sign/solana</c>: the signature covers the whole
/// <c>"\xffsolana offchain"</c> message, a text that is itself a transaction is refused, and an agent allowed only
/// <c>offchain-message</c> can never get a transaction message signed.
/// </summary>
public sealed class SolanaOffchainMessageSigningTests
{
    private const string Account = KeystoreServer.Owner;
    private const string Sign = $"/v1/accounts/{Account}/sign/solana";

    private static HttpRequestMessage Signed(string path, string body, Key key) =>
        NearRequests.Request(HttpMethod.Post, path, body, NearRequests.Credential("POST", path, Encoding.UTF8.GetBytes(body), Account, key));

    private static async Task<(HttpStatusCode Status, JsonNode? Body)> SendAsync(HttpClient client, HttpRequestMessage request)
    {
        using (request)
        {
            using HttpResponseMessage response = await client.SendAsync(request);
            string text = await response.Content.ReadAsStringAsync();
            return (response.StatusCode, text.Length == 0 ? null : JsonNode.Parse(text));
        }
    }

    /// <summary>Version 1: domain ‖ 1 ‖ signer count ‖ signers ‖ UTF-8 text to the end.</summary>
    private static byte[] OffchainV1(byte[] signer, byte[] text) => [0xff, .. "solana offchain"u8, 1, 1, .. signer, .. text];

    /// <summary>A legacy transaction message whose every byte is ASCII, so it is also valid UTF-8 text.</summary>
    private static byte[] AsciiTransactionMessage() =>
        [1, 0, 1, 2, .. Enumerable.Repeat((byte)'A', 32), .. Enumerable.Repeat((byte)'B', 32), .. Enumerable.Repeat((byte)'C', 32), 1, 1, 1, 0, 0];

    private static async Task<byte[]> SolanaKeyAsync(KeystoreServer server) =>
        Base58.Decode(JsonNode.Parse(await server.Client.GetStringAsync($"/v1/accounts/{Account}/keys/solana"))!["address"]!.GetValue<string>());

    private static string Body(byte[] message) => new JsonObject { ["offchainMessage"] = Convert.ToBase64String(message) }.ToJsonString();

    [Fact]
    public async Task The_owner_signs_a_whole_offchain_message_and_the_signature_verifies_over_its_bytes()
    {
        await using KeystoreServer server = await KeystoreServer.StartAsync();
        byte[] signer = await SolanaKeyAsync(server);
        byte[] message = OffchainV1(signer, "Sign in to example.org at 2026-12-02T12:00:00Z"u8.ToArray());

        (HttpStatusCode status, JsonNode? answer) = await SendAsync(server.Client, Signed(Sign, Body(message), server.OwnerKey));
        Assert.True(status == HttpStatusCode.OK, answer?.ToJsonString());
        byte[] signature = Base58.Decode(answer!["signature"]!.GetValue<string>());
        var publicKey = PublicKey.Import(SignatureAlgorithm.Ed25519, signer, KeyBlobFormat.RawPublicKey);
        Assert.True(SignatureAlgorithm.Ed25519.Verify(publicKey, message, signature));
        Assert.False(SignatureAlgorithm.Ed25519.Verify(publicKey, message.AsSpan(16).ToArray(), signature));
    }

    [Fact]
    public async Task A_text_that_is_a_transaction_message_a_foreign_signer_and_a_broken_header_are_refused()
    {
        await using KeystoreServer server = await KeystoreServer.StartAsync();
        byte[] signer = await SolanaKeyAsync(server);
        byte[] transactionText = AsciiTransactionMessage();
        Assert.True(Keystore.Chains.Solana.SolanaOffchainMessage.IsTransaction(transactionText));

        (string Body, string Slug)[] cases =
        [
            (Body(OffchainV1(signer, transactionText)), "invalid-message"),
            (Body(OffchainV1(new byte[32], "hello"u8.ToArray())), "not-a-signer"),
            (Body([0xfe, .. "solana offchain"u8, 1, 1, .. signer, .. "hello"u8]), "invalid-message"),
            (Body(OffchainV1(signer, [])), "invalid-message"),
            ("""{"offchainMessage":"not base64!"}""", "invalid-message"),
            ("""{"offchainMessage":"AAAA","message":"AAAA"}""", "invalid-message"),
        ];
        foreach ((string body, string slug) in cases)
        {
            (HttpStatusCode status, JsonNode? problem) = await SendAsync(server.Client, Signed(Sign, body, server.OwnerKey));
            Assert.True(status == HttpStatusCode.BadRequest, $"{body}: {status} {problem?.ToJsonString()}");
            Assert.EndsWith(":" + slug, problem!["type"]!.GetValue<string>());
            Assert.Null(problem["signature"]);
        }
    }

    [Fact]
    public async Task An_agent_allowed_only_offchain_messages_signs_them_and_no_transaction_message()
    {
        await using KeystoreServer server = await KeystoreServer.StartAsync();
        byte[] signer = await SolanaKeyAsync(server);
        using var agent = Key.Create(SignatureAlgorithm.Ed25519);
        string register = new JsonObject
        {
            ["publicKey"] = new Keystore.Near.Keys.Ed25519PublicKey(agent.PublicKey.Export(KeyBlobFormat.RawPublicKey)).ToString(),
            ["name"] = "login-bot",
            ["expiresAt"] = DateTimeOffset.UtcNow.AddDays(1).ToString("yyyy-MM-ddTHH:mm:ssZ"),
            ["policy"] = JsonNode.Parse("""{"kind":"agent","version":1,"rules":[{"id":"login","chains":["solana"],"operations":["offchain-message"],"limits":{}}]}"""),
        }.ToJsonString();
        (HttpStatusCode created, JsonNode? agentAnswer) = await SendAsync(server.Client, Signed($"/v1/accounts/{Account}/agents", register, server.OwnerKey));
        Assert.True(created == HttpStatusCode.Created, agentAnswer?.ToJsonString());

        (HttpStatusCode ok, JsonNode? signed) = await SendAsync(server.Client, Signed(Sign, Body(OffchainV1(signer, "log in"u8.ToArray())), agent));
        Assert.True(ok == HttpStatusCode.OK, signed?.ToJsonString());

        // The same agent asking for a transaction message signature is refused by its policy, before any key is touched.
        string transaction = new JsonObject { ["message"] = Convert.ToBase64String(AsciiTransactionMessage()) }.ToJsonString();
        (HttpStatusCode refused, JsonNode? problem) = await SendAsync(server.Client, Signed(Sign, transaction, agent));
        Assert.Equal(HttpStatusCode.Forbidden, refused);
        Assert.Equal("operations", problem!["rule"]!.GetValue<string>());

        // Nor through an off-chain message whose text is a transaction message: the one reading of the message, in the
        // signing step, refuses it before a key is touched, whatever the policy allowed.
        (HttpStatusCode disguised, JsonNode? invalid) = await SendAsync(server.Client, Signed(Sign, Body(OffchainV1(signer, AsciiTransactionMessage())), agent));
        Assert.Equal(HttpStatusCode.BadRequest, disguised);
        Assert.EndsWith(":invalid-message", invalid!["type"]!.GetValue<string>());
        Assert.Null(invalid["signature"]);
    }
}
