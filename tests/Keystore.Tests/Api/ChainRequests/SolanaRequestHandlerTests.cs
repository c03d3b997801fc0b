using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using Keystore.Api.ChainRequests;
using Keystore.Chains;
using Keystore.Chains.Solana;
using NSec.Cryptography;

namespace Keystore.Tests.Api.ChainRequests;

/// <summary>
/// The JSON face of Solana signing (<c>POST …/sign/solana</c>): each body shape, both text encodings, and every bad
/// input refused with its problem type before anything is signed.
/// </summary>
public class SolanaRequestHandlerTests
{
    private const string Rfc8032Seed = "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60";
    private static readonly SolanaRequestHandler Handler = new(new SolanaSigner());

    private static SigningKey Key(string seedHex) => new(KeyCurve.Ed25519, Convert.FromHexString(seedHex));

    private static JsonElement Json(JsonObject body) => JsonDocument.Parse(body.ToJsonString()).RootElement;

    private static JsonElement Json(string body) => JsonDocument.Parse(body).RootElement;

    private static bool Verifies(ReadOnlySpan<byte> publicKey, byte[] data, byte[] signature) =>
        SignatureAlgorithm.Ed25519.Verify(PublicKey.Import(SignatureAlgorithm.Ed25519, publicKey, KeyBlobFormat.RawPublicKey), data, signature);

    /// <summary>A legacy transfer message: header, keys (payer[, second signer], recipient, system program), blockhash, one instruction.</summary>
    private static byte[] LegacyMessage(byte[] payer, byte[]? secondSigner = null)
    {
        var recipient = Enumerable.Repeat((byte)7, 32).ToArray();
        var system = new byte[32];
        byte[][] keys = secondSigner is null ? [payer, recipient, system] : [payer, secondSigner, recipient, system];
        var m = new List<byte> { (byte)(secondSigner is null ? 1 : 2), 0, 1, (byte)keys.Length };
        foreach (byte[] k in keys) m.AddRange(k);
        m.AddRange(Enumerable.Repeat((byte)9, 32)); // recent blockhash
        m.AddRange([1, (byte)(keys.Length - 1), 2, 0, (byte)(keys.Length - 2)]);
        m.AddRange([12, 2, 0, 0, 0, 0xe8, 0x03, 0, 0, 0, 0, 0, 0]); // System transfer of 1000 lamports
        return [.. m];
    }

    private static byte[] OffchainV1(byte[] signer, byte[] text) => [0xff, .. "solana offchain"u8, 1, 1, .. signer, .. text];

    [Theory]
    [InlineData(null)]
    [InlineData("base64")]
    [InlineData("base58")]
    public void A_message_signature_verifies_over_the_message_in_either_encoding(string? encoding)
    {
        using SigningKey key = Key(Rfc8032Seed);
        byte[] message = LegacyMessage(key.PublicKey.ToArray());
        var body = new JsonObject { ["message"] = encoding == "base58" ? Base58.Encode(message) : Convert.ToBase64String(message) };
        if (encoding is not null) body["encoding"] = encoding;

        JsonObject result = Handler.Sign(key, Json(body));

        Assert.Equal(["signature"], result.Select(p => p.Key));
        Assert.True(Verifies(key.PublicKey, message, Base58.Decode((string)result["signature"]!)));
    }

    [Theory]
    [InlineData("base64")]
    [InlineData("base58")]
    public void A_transaction_gets_its_slot_filled_and_comes_back_in_the_request_encoding(string encoding)
    {
        using SigningKey key = Key(Rfc8032Seed);
        byte[] payerSignature = Enumerable.Repeat((byte)0xaa, 64).ToArray();
        byte[] message = LegacyMessage(Enumerable.Repeat((byte)3, 32).ToArray(), key.PublicKey.ToArray());
        byte[] wire = [2, .. payerSignature, .. new byte[64], .. message];
        string text = encoding == "base58" ? Base58.Encode(wire) : Convert.ToBase64String(wire);

        JsonObject result = Handler.Sign(key, Json(new JsonObject { ["transaction"] = text, ["encoding"] = encoding }));

        string signedText = (string)result["signedTransaction"]!;
        byte[] signed = encoding == "base58" ? Base58.Decode(signedText) : Convert.FromBase64String(signedText);
        byte[] signature = Base58.Decode((string)result["signature"]!);
        Assert.Equal(payerSignature, signed[1..65]);
        Assert.Equal(signature, signed[65..129]);
        Assert.Equal(message, signed[129..]);
        Assert.True(Verifies(key.PublicKey, message, signature));
    }

    [Theory]
    [InlineData("base64")]
    [InlineData("base58")]
    public void An_offchain_message_is_signed_whole_in_either_encoding(string encoding)
    {
        using SigningKey key = Key(Rfc8032Seed);
        byte[] message = OffchainV1(key.PublicKey.ToArray(), "Sign in to example.org"u8.ToArray());
        string text = encoding == "base58" ? Base58.Encode(message) : Convert.ToBase64String(message);

        JsonObject result = Handler.Sign(key, Json(new JsonObject { ["offchainMessage"] = text, ["encoding"] = encoding, ["index"] = 0 }));

        Assert.True(Verifies(key.PublicKey, message, Base58.Decode((string)result["signature"]!)));
    }

    public static TheoryData<string, string> Rejections()
    {
        byte[] ours = LegacyMessage(Convert.FromHexString("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a"));
        byte[] notOurs = LegacyMessage(Enumerable.Repeat((byte)5, 32).ToArray());
        byte[] badProgramIndex = (byte[])ours.Clone();
        badProgramIndex[4 + 3 * 32 + 32 + 1] = 9;
        string B64(byte[] b) => Convert.ToBase64String(b);
        byte[] offchainNotOurs = OffchainV1(new byte[32], "hello"u8.ToArray());
        byte[] offchainTransactionText = OffchainV1(
            Convert.FromHexString("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a"),
            [1, 0, 1, 2, .. Enumerable.Repeat((byte)'A', 32), .. Enumerable.Repeat((byte)'B', 32), .. Enumerable.Repeat((byte)'C', 32), 1, 1, 1, 0, 0]);
        return new TheoryData<string, string>
        {
            { $$"""{"message": "{{B64(notOurs)}}"}""", "not-a-signer" },
            { $$"""{"transaction": "{{B64([1, .. new byte[64], .. notOurs])}}"}""", "not-a-signer" },
            { $$"""{"message": "{{Base58.Encode(notOurs)}}", "encoding": "base58"}""", "not-a-signer" },
            { """{"message": "not base64!"}""", "invalid-message" },
            { """{"message": 12}""", "invalid-message" },
            { """{"message": ""}""", "invalid-message" },
            { """{"message": "", "encoding": "base58"}""", "invalid-message" },
            { $$"""{"message": "{{B64(ours[..^3])}}"}""", "invalid-message" },
            { $$"""{"message": "{{B64([.. ours, 0])}}"}""", "invalid-message" },
            { $$"""{"message": "{{B64([0x81, .. ours])}}"}""", "invalid-message" },
            { $$"""{"message": "{{B64(badProgramIndex)}}"}""", "invalid-message" },
            // base64 text is not base58 ('+', '/', '=' and '0', 'O', 'I', 'l' are outside its alphabet), and the reverse.
            { $$"""{"message": "{{B64(ours)}}", "encoding": "base58"}""", "invalid-message" },
            { $$"""{"message": "{{Base58.Encode(ours)}}"}""", "invalid-message" },
            { """{"transaction": "%%%"}""", "invalid-transaction" },
            { """{"transaction": "0OIl", "encoding": "base58"}""", "invalid-transaction" },
            { $$"""{"transaction": "{{B64([0, .. ours])}}"}""", "invalid-transaction" },
            { $$"""{"transaction": "{{B64([1, .. new byte[10]])}}"}""", "invalid-transaction" },
            { $$"""{"transaction": "{{B64([0x81, 0x00, .. new byte[64], .. ours])}}"}""", "invalid-transaction" },
            { $$"""{"message": "{{B64(ours)}}", "transaction": "{{B64(ours)}}"}""", "invalid-request" },
            { """{"encoding": "base58"}""", "invalid-request" },
            { """[]""", "invalid-request" },
            { $$"""{"message": "{{B64(ours)}}", "encoding": "base32"}""", "invalid-request" },
            { $$"""{"message": "{{B64(ours)}}", "encoding": "BASE58"}""", "invalid-request" },
            { $$"""{"message": "{{B64(ours)}}", "encoding": 58}""", "invalid-request" },
            { $$"""{"offchainMessage": "{{B64(offchainNotOurs)}}", "encoding": "hex"}""", "invalid-request" },
            { $$"""{"offchainMessage": "{{B64(offchainNotOurs)}}"}""", "not-a-signer" },
            { $$"""{"offchainMessage": "{{B64(offchainTransactionText)}}"}""", "invalid-message" },
            { $$"""{"offchainMessage": "{{Base58.Encode(offchainTransactionText)}}", "encoding": "base58"}""", "invalid-message" },
            { $$"""{"offchainMessage": "{{B64(offchainNotOurs)}}", "message": "{{B64(ours)}}"}""", "invalid-message" },
        };
    }

    [Theory]
    [MemberData(nameof(Rejections))]
    public void Bad_requests_are_refused_with_their_problem_type(string request, string slug)
    {
        using SigningKey key = Key(Rfc8032Seed);
        var ex = Assert.Throws<ChainRequestException>(() => Handler.Sign(key, Json(request)));
        Assert.Equal(slug, ChainProblems.For(ex.Error).Slug);
    }

    /// <summary>
    /// What @solana/web3.js hands a caller (<c>Transaction.serializeMessage()</c>, <c>VersionedTransaction.message.serialize()</c>,
    /// <c>serialize({requireAllSignatures: false})</c>, <c>VersionedTransaction.serialize()</c>), in base64 and base58, signed
    /// through the handler and verified by web3.js and @noble/curves.
    /// </summary>
    [Theory]
    [InlineData("base64")]
    [InlineData("base58")]
    public void What_web3js_serializes_is_signed_and_verifies_in_web3js(string encoding)
    {
        byte[] seed = RandomNumberGenerator.GetBytes(32);
        using SigningKey key = new(KeyCurve.Ed25519, seed);
        CryptographicOperations.ZeroMemory(seed);
        string address = Base58.Encode(key.PublicKey);
        JsonNode built = NodeOracle.Run("chains-solana.mjs", new JsonObject { ["op"] = "build", ["signer"] = address });
        JsonNode texts = encoding == "base58" ? built["base58"]! : built;

        JsonObject Sign(string member, string name) =>
            Handler.Sign(key, Json(new JsonObject { [member] = (string)texts[name]!, ["encoding"] = encoding }));
        string legacySignature = (string)Sign("message", "legacyMessage")["signature"]!;
        string v0Signature = (string)Sign("message", "v0Message")["signature"]!;
        JsonObject legacyTransaction = Sign("transaction", "legacyTransaction");
        JsonObject v0Transaction = Sign("transaction", "v0Transaction");
        // The transaction's slot holds the same signature the message route gives: both cover the same message bytes.
        Assert.Equal(legacySignature, (string)legacyTransaction["signature"]!);
        Assert.Equal(v0Signature, (string)v0Transaction["signature"]!);

        JsonNode verified = NodeOracle.Run("chains-solana.mjs", new JsonObject
        {
            ["op"] = "verify",
            ["signer"] = address,
            ["encoding"] = encoding,
            ["signatures"] = new JsonArray(
                new JsonObject { ["message"] = (string)built["legacyMessage"]!, ["signature"] = legacySignature },
                new JsonObject { ["message"] = (string)built["v0Message"]!, ["signature"] = v0Signature }),
            ["legacyTransaction"] = (string)legacyTransaction["signedTransaction"]!,
            ["v0Transaction"] = (string)v0Transaction["signedTransaction"]!,
        });
        Assert.Equal([true, true], verified["signatures"]!.AsArray().Select(s => (bool)s!));
        Assert.True((bool)verified["legacyVerified"]!);
        Assert.True((bool)verified["v0Verified"]!);
    }
}
