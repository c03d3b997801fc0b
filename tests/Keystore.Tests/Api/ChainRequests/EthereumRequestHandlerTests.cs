using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using Keystore.Api.ChainRequests;
using Keystore.Chains;
using Keystore.Chains.Ethereum;
using Keystore.TestSupport.Node;
using Nethereum.Util;

namespace Keystore.Tests.Api.ChainRequests;

/// <summary>
/// The Ethereum sign request as the API reads it (JSON shapes, encodings, refusals by problem slug), signed through
/// <see cref="EthereumRequestHandler"/>; what it signs is checked by ethers v6 (tests/oracles/chains-ethereum.mjs) in the same run.
/// </summary>
public class EthereumRequestHandlerTests
{
    private static readonly EthereumSigner Signer = new();
    private static readonly EthereumRequestHandler Handler = new(Signer);

    private static SigningKey Key(string privateKeyHex) => new(KeyCurve.Secp256k1, Hex(privateKeyHex));

    private static JsonElement Json(string json) => JsonDocument.Parse(json).RootElement;

    private static byte[] Hex(string hex) => Convert.FromHexString(hex.StartsWith("0x", StringComparison.Ordinal) ? hex[2..] : hex);

    private static string ToHex(ReadOnlySpan<byte> bytes) => Convert.ToHexStringLower(bytes);

    private static string Slug(ChainRequestException ex) => ChainProblems.For(ex.Error).Slug;

    private static byte[] Keccak(ReadOnlySpan<byte> data) => Sha3Keccack.Current.CalculateHash(data.ToArray());

    private static byte[] TypedDataDigest(JsonElement typedData) => Eip712Hasher.Digest(EthereumTypedDataReader.Read(typedData));

    /// <summary>The EIP-155 example transaction (nonce 9, 20 gwei, 21000 gas, 1 ether to 0x3535…, chain 1, key 0x4646…).</summary>
    [Fact]
    public void Eip155_example_transaction()
    {
        using var key = Key("4646464646464646464646464646464646464646464646464646464646464646");
        var result = Handler.Sign(key, Json("""
            {"transaction": {"nonce": "0x9", "gasPrice": "20000000000", "gas": 21000,
             "to": "0x3535353535353535353535353535353535353535", "value": "1000000000000000000", "chainId": 1}}
            """));
        Assert.Equal("0xf86c098504a817c800825208943535353535353535353535353535353535353535880de0b6b3a76400008025a028ef61340bd939bc2195fe537567866003e1a15d3c71ff63e1590620aa636276a067cbe9d8997f761aecb703304b3800ccf555c9f3dc64214b297fb1966a3b6d83",
            (string)result["signedTransaction"]!);
        Assert.Equal("0x" + ToHex(Keccak(Hex((string)result["signedTransaction"]!))), (string)result["hash"]!);
        Assert.Equal("0x9d8A62f656a8d1615C1294fd71e9CFb3E4855A4F", (string)result["from"]!);
    }

    [Fact]
    public void Eip155_signing_hash()
    {
        var tx = EthereumTransactionReader.Read(Json("""
            {"type": "0x0", "nonce": "0x9", "gasPrice": "0x4a817c800", "gas": "0x5208",
             "to": "0x3535353535353535353535353535353535353535", "value": "0xde0b6b3a7640000", "chainId": "0x1"}
            """));
        // EIP-155: signing data 0xec098504a817c800825208943535353535353535353535353535353535353535880de0b6b3a764000080018080
        Assert.Equal("daf5a779ae972f972197303d7b574746c7ef83eadac0f2791ad23db92e4c8e53", ToHex(tx.SigningHash()));
    }

    /// <summary>The EIP-712 "Mail" example: key keccak256("cow").</summary>
    [Fact]
    public void Eip712_mail_example()
    {
        var cow = ToHex(Keccak("cow"u8));
        using var key = Key(cow);
        Assert.Equal("0xCD2a3d9F938E13CD947Ec05AbC7FE734Df8DD826", Signer.Describe(key.PublicKey).Address);
        var typedData = Json(MailTypedData(includeDomainType: true));
        Assert.Equal("be609aee343fb3c4b28e1df9e632fca64fcfaede20f02e86244efddf30957bd2", ToHex(TypedDataDigest(typedData)));
        var result = Handler.Sign(key, Json($$"""{"typedData": {{MailTypedData(true)}}}"""));
        Assert.Equal("0x4355c47d63924e8a72e509b65029052eb6c299d53a04e167c5775fd466751c9d07299936d304c153f6443dfa05f40ff007d72911b6f72307f996231605b915621c",
            (string)result["signature"]!);
        // Without EIP712Domain in types it is inferred from the domain's fields: same digest.
        Assert.Equal("be609aee343fb3c4b28e1df9e632fca64fcfaede20f02e86244efddf30957bd2",
            ToHex(TypedDataDigest(Json(MailTypedData(includeDomainType: false)))));
    }

    private const string DomainType =
        "\"EIP712Domain\": [{\"name\":\"name\",\"type\":\"string\"},{\"name\":\"version\",\"type\":\"string\"},{\"name\":\"chainId\",\"type\":\"uint256\"},{\"name\":\"verifyingContract\",\"type\":\"address\"}],";

    internal static string MailTypedData(bool includeDomainType) => $$"""
        {
          "types": {
            {{(includeDomainType ? DomainType : "")}}
            "Person": [{"name":"name","type":"string"},{"name":"wallet","type":"address"}],
            "Mail": [{"name":"from","type":"Person"},{"name":"to","type":"Person"},{"name":"contents","type":"string"}]
          },
          "primaryType": "Mail",
          "domain": {"name":"Ether Mail","version":"1","chainId":1,"verifyingContract":"0xCcCCccccCCCCcCCCCCCcCcCccCcCCCcCcccccccC"},
          "message": {
            "from": {"name":"Cow","wallet":"0xCD2a3d9F938E13CD947Ec05AbC7FE734Df8DD826"},
            "to": {"name":"Bob","wallet":"0xbBbBBBBbbBBBbbbBbbBbbbbBBbBbbbbBbBbbBBbB"},
            "contents": "Hello, Bob!"
          }
        }
        """;

    [Fact]
    public void Eip712_encode_type_sorts_dependencies()
    {
        // A type referencing others out of alphabetical order, through an array.
        var data = Json("""
            {"types": {"Z": [{"name":"b","type":"B[]"},{"name":"a","type":"A"}], "A": [{"name":"x","type":"uint8"}], "B": [{"name":"a","type":"A[2]"}]},
             "primaryType": "Z", "domain": {"name": "t"},
             "message": {"b": [{"a": [{"x": 1}, {"x": 2}]}], "a": {"x": 255}}}
            """);
        var digest = TypedDataDigest(data);
        Assert.Equal(32, digest.Length);
        var bad = Json("""
            {"types": {"A": [{"name":"x","type":"uint8"}]}, "primaryType": "A", "domain": {"name": "t"}, "message": {"x": 256}}
            """);
        Assert.Equal("invalid-typed-data", Slug(Assert.Throws<ChainRequestException>(() => TypedDataDigest(bad))));
        var wrongLength = Json("""
            {"types": {"A": [{"name":"x","type":"uint8[2]"}]}, "primaryType": "A", "domain": {"name": "t"}, "message": {"x": [1]}}
            """);
        Assert.Throws<ChainRequestException>(() => TypedDataDigest(wrongLength));
    }

    [Fact]
    public void Personal_message_signature_recovers_to_the_address()
    {
        using var key = Key("4646464646464646464646464646464646464646464646464646464646464646");
        var text = Handler.Sign(key, Json("""{"message": "hello"}"""));
        var hex = Handler.Sign(key, Json("""{"message": "0x68656c6c6f"}"""));
        var forcedText = Handler.Sign(key, Json("""{"message": "0x68656c6c6f", "encoding": "utf8"}"""));
        Assert.Equal((string)text["signature"]!, (string)hex["signature"]!);
        Assert.NotEqual((string)text["signature"]!, (string)forcedText["signature"]!);

        var sig = Hex((string)text["signature"]!);
        Assert.Equal(65, sig.Length);
        Assert.True(sig[64] is 27 or 28);
        var hash = EthereumSigner.PersonalMessageHash("hello"u8);
        var recovered = new byte[33];
        Assert.True(Secp256k1.TryRecover(hash, sig[..64], sig[64] - 27, recovered));
        Assert.Equal(key.PublicKey.ToArray(), recovered);
        // Low s: s ≤ n/2.
        Assert.True(sig[32] < 0x80);
    }

    public static TheoryData<string, string> Rejections() => new()
    {
        // quantities
        { """{"transaction": {"chainId": 1, "nonce": "-1", "gasPrice": "1", "gas": "21000"}}""", "invalid-transaction" },
        { """{"transaction": {"chainId": 1, "nonce": 0, "gasPrice": "1", "gas": "21000", "value": "0x10000000000000000000000000000000000000000000000000000000000000000"}}""", "invalid-transaction" },
        { """{"transaction": {"chainId": 1, "nonce": 0, "gasPrice": "1", "gas": "21000", "value": "1.5"}}""", "invalid-transaction" },
        { """{"transaction": {"chainId": 1, "nonce": 0, "gasPrice": "1", "gas": "21000", "value": 1.5}}""", "invalid-transaction" },
        { """{"transaction": {"chainId": 1, "nonce": 0, "gasPrice": "1", "gas": "21000", "value": -1}}""", "invalid-transaction" },
        { """{"transaction": {"chainId": 1, "nonce": 0, "gasPrice": "1", "gas": "21000", "value": 9007199254740992}}""", "invalid-transaction" },
        { """{"transaction": {"chainId": 1, "nonce": "0x01", "gasPrice": "1", "gas": "21000"}}""", "invalid-transaction" },
        { """{"transaction": {"chainId": 1, "nonce": "0x", "gasPrice": "1", "gas": "21000"}}""", "invalid-transaction" },
        { """{"transaction": {"chainId": 1, "nonce": "0x10000000000000000", "gasPrice": "1", "gas": "21000"}}""", "invalid-transaction" },
        // chainId
        { """{"transaction": {"chainId": {"id": 1}, "nonce": 0, "gasPrice": "1", "gas": "21000"}}""", "invalid-transaction" },
        { """{"transaction": {"chainId": true, "nonce": 0, "gasPrice": "1", "gas": "21000"}}""", "invalid-transaction" },
        { """{"transaction": {"nonce": 0, "gasPrice": "1", "gas": "21000"}}""", "invalid-transaction" },
        { """{"transaction": {"chainId": 0, "nonce": 0, "gasPrice": "1", "gas": "21000"}}""", "invalid-transaction" },
        // shape
        { """{"transaction": {"chainId": 1, "nonce": 0, "maxFeePerGas": "1", "maxPriorityFeePerGas": "2", "gas": "21000"}}""", "invalid-transaction" },
        { """{"transaction": {"chainId": 1, "nonce": 0, "gasPrice": "1", "maxFeePerGas": "1", "maxPriorityFeePerGas": "1", "gas": "21000"}}""", "invalid-transaction" },
        { """{"transaction": {"type": "0x3", "chainId": 1, "nonce": 0, "maxFeePerGas": "1", "maxPriorityFeePerGas": "1", "gas": "21000"}}""", "invalid-transaction" },
        { """{"transaction": {"chainId": 1, "nonce": 0, "gasPrice": "1", "gas": "21000", "blobVersionedHashes": []}}""", "invalid-transaction" },
        { """{"transaction": {"chainId": 1, "nonce": 0, "gasPrice": "1", "gas": "21000", "to": "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeD"}}""", "invalid-transaction" },
        { """{"transaction": {"chainId": 1, "nonce": 0, "gasPrice": "1", "gas": "21000", "data": "0x123"}}""", "invalid-transaction" },
        { """{"transaction": {"chainId": 1, "nonce": 0, "gasPrice": "1", "gas": "21000", "from": "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed"}}""", "invalid-transaction" },
        { """{"transaction": {"chainId": 1, "nonce": 0, "gasPrice": "1"}}""", "invalid-transaction" },
        { """{"transaction": "0xf86c"}""", "invalid-transaction" },
        // request
        { """{"message": "a", "typedData": {}}""", "invalid-request" },
        { """{}""", "invalid-request" },
        { """[]""", "invalid-request" },
        { """{"message": 5}""", "invalid-message" },
        { """{"message": "xyz", "encoding": "hex"}""", "invalid-message" },
        { """{"typedData": {"types": {}, "primaryType": "Mail", "domain": {}, "message": {}}}""", "invalid-typed-data" },
    };

    [Theory]
    [MemberData(nameof(Rejections))]
    public void Rejects_bad_requests(string request, string problem)
    {
        using var key = Key("4646464646464646464646464646464646464646464646464646464646464646");
        var ex = Assert.Throws<ChainRequestException>(() => Handler.Sign(key, Json(request)));
        Assert.Equal(problem, Slug(ex));
        Assert.DoesNotContain("4646464646", ex.Message);
    }

    /// <summary>Gas below what the transaction costs before running, and chain ids beyond EIP-2294, are refused.</summary>
    [Theory]
    [InlineData("""{"chainId": 1, "nonce": 0, "gasPrice": "1", "gas": 0, "to": "0x3535353535353535353535353535353535353535"}""")]
    [InlineData("""{"chainId": 1, "nonce": 0, "gasPrice": "1", "gas": "20999", "to": "0x3535353535353535353535353535353535353535"}""")]
    // 21000 + 16 per non-zero data byte: 0xa9059cbb costs 21064.
    [InlineData("""{"chainId": 1, "nonce": 0, "gasPrice": "1", "gas": "21063", "to": "0x3535353535353535353535353535353535353535", "data": "0xa9059cbb"}""")]
    // Contract creation costs 32000 more.
    [InlineData("""{"chainId": 1, "nonce": 0, "gasPrice": "1", "gas": "21000", "data": "0x00"}""")]
    // 2400 per access-list address, 1900 per storage key.
    [InlineData("""{"type": "0x1", "chainId": 1, "nonce": 0, "gasPrice": "1", "gas": "25299", "to": "0x3535353535353535353535353535353535353535", "accessList": [{"address": "0x3535353535353535353535353535353535353535", "storageKeys": ["0x0000000000000000000000000000000000000000000000000000000000000001"]}]}""")]
    [InlineData("""{"chainId": "0xffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff", "nonce": 0, "gasPrice": "1", "gas": "21000", "to": "0x3535353535353535353535353535353535353535"}""")]
    [InlineData("""{"chainId": "9223372036854775772", "nonce": 0, "gasPrice": "1", "gas": "21000", "to": "0x3535353535353535353535353535353535353535"}""")]
    [InlineData("""{"chainId": "9223372036854775772", "nonce": 0, "maxFeePerGas": "1", "maxPriorityFeePerGas": "1", "gas": "21000", "to": "0x3535353535353535353535353535353535353535"}""")]
    public void RefusesGasBelowIntrinsicAndChainIdsBeyondEip2294(string tx)
    {
        using var key = Key("4646464646464646464646464646464646464646464646464646464646464646");
        var ex = Assert.Throws<ChainRequestException>(() => Handler.Sign(key, Json($$"""{"transaction": {{tx}}}""")));
        Assert.Equal("invalid-transaction", Slug(ex));
    }

    [Fact]
    public void Intrinsic_gas_and_the_largest_chain_id_are_signed()
    {
        using var key = Key("4646464646464646464646464646464646464646464646464646464646464646");
        Assert.Equal(9_223_372_036_854_775_771, (long)EthereumTransaction.MaxChainId);
        Assert.Equal(21_064 + 2_400 + 1_900, EthereumTransaction.IntrinsicGasFloor(Hex("a9059cbb"),
            creation: false, [new AccessListEntry(new byte[20], [new byte[32]])]));
        Assert.Equal(21_000 + 32_000 + 4 + 16, EthereumTransaction.IntrinsicGasFloor([0, 1], creation: true, []));
        // Exactly the floor signs; the largest legacy chain id gives v = 2 * id + 35 + r, still within 64 bits.
        var signed = (string)Handler.Sign(key, Json("""{"transaction": {"chainId": "9223372036854775771", "nonce": 0, "gasPrice": "1", "gas": "21064", "to": "0x3535353535353535353535353535353535353535", "data": "0xa9059cbb"}}"""))["signedTransaction"]!;
        var parsed = NodeOracle.Run("chains-ethereum.mjs", new System.Text.Json.Nodes.JsonObject
        {
            ["transactions"] = new System.Text.Json.Nodes.JsonArray(signed),
        })["transactions"]![0]!;
        Assert.Equal("9223372036854775771", (string)parsed["chainId"]!);
        Assert.Equal("21064", (string)parsed["gasLimit"]!);
        Assert.Equal(Signer.Describe(key.PublicKey).Address, (string)parsed["from"]!);
        Assert.True((bool)parsed["serializedMatches"]!);
    }

    [Fact]
    public void Type_inference_and_envelopes()
    {
        using var key = Key("4646464646464646464646464646464646464646464646464646464646464646");
        string Signed(string tx) => (string)Handler.Sign(key, Json($$"""{"transaction": {{tx}}}"""))["signedTransaction"]!;
        Assert.StartsWith("0x02", Signed("""{"chainId": "0x1", "nonce": "0x0", "maxFeePerGas": "0x2", "maxPriorityFeePerGas": "0x1", "gas": "0xcf08"}"""));
        Assert.StartsWith("0x01", Signed("""{"chainId": "0x1", "nonce": "0x0", "gasPrice": "0x2", "gas": "0xcf08", "accessList": []}"""));
        Assert.StartsWith("0xf8", Signed("""{"chainId": "0x1", "nonce": "0x0", "gasPrice": "0x2", "gas": "0x5208", "to": "0x3535353535353535353535353535353535353535"}"""));
    }

    private static SigningKey RandomKey()
    {
        var sk = new byte[32];
        do RandomNumberGenerator.Fill(sk); while (!Secp256k1.IsValidPrivateKey(sk));
        return new SigningKey(KeyCurve.Secp256k1, sk);
    }

    [Fact]
    public void Ethereum_signatures_verify_in_ethers()
    {
        using var key = RandomKey();
        var signer = Signer;
        string from = signer.Describe(key.PublicKey).Address;
        string[] transactions =
        [
            """{"type": "0x2", "chainId": "0x1", "nonce": "0x2a", "to": "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed", "value": "0xde0b6b3a7640000", "data": "0xa9059cbb", "gas": "0x186a0", "maxFeePerGas": "0x77359400", "maxPriorityFeePerGas": "0x3b9aca00", "accessList": [{"address": "0xde709f2102306220921060314715629080e2fb77", "storageKeys": ["0x0000000000000000000000000000000000000000000000000000000000000003"]}]}""",
            """{"chainId": 11155111, "nonce": 0, "gasLimit": "3000000", "maxFeePerGas": "30000000000", "maxPriorityFeePerGas": "0", "input": "0x6080604052"}""",
            """{"type": "0x1", "chainId": "137", "nonce": "7", "to": "0x8617E340B3D01FA5F11F306F4090FD50E238070D", "gasPrice": "0x2540be400", "gas": 21000, "value": "0", "accessList": []}""",
            """{"chainId": "0x89", "nonce": "0x0", "to": "0xd1220a0cf47c7b9be7a2e6ba89f429762e7b9adb", "gasPrice": "1", "gas": "0x5208", "value": "0xffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff"}""",
        ];
        var results = transactions.Select(t => Handler.Sign(key, Json($$"""{"transaction": {{t}}}"""))).ToList();

        var messages = new (string Message, bool Bytes)[] { ("hello ⚡ keystore", false), ("0xdeadbeef00", true), ("", false) };
        var messageSignatures = messages.Select(m => (string)Handler.Sign(key, Json(new JsonObject { ["message"] = m.Message }.ToJsonString()))["signature"]!).ToList();

        string complexTypedData = """
            {"types": {"EIP712Domain": [{"name":"name","type":"string"},{"name":"chainId","type":"uint256"},{"name":"salt","type":"bytes32"}],
                       "Order": [{"name":"maker","type":"Party"},{"name":"legs","type":"Leg[]"},{"name":"grid","type":"int16[2][]"},{"name":"memo","type":"bytes"},{"name":"tag","type":"bytes4"},{"name":"ok","type":"bool"},{"name":"notes","type":"string[]"}],
                       "Party": [{"name":"wallet","type":"address"},{"name":"id","type":"uint64"}],
                       "Leg": [{"name":"amount","type":"int256"},{"name":"asset","type":"address"},{"name":"counterparty","type":"Party"}]},
             "primaryType": "Order",
             "domain": {"name": "Desk", "chainId": "0x2105", "salt": "0x000000000000000000000000000000000000000000000000000000000000beef"},
             "message": {"maker": {"wallet": "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed", "id": "18446744073709551615"},
                         "legs": [{"amount": "-57896044618658097711785492504343953926634992332820282019728792003956564819968", "asset": "0xde709f2102306220921060314715629080e2fb77", "counterparty": {"wallet": "0x27b1fdb04752bbc536007a920d24acb045561c26", "id": 5}},
                                  {"amount": 12, "asset": "0x52908400098527886E0F7030069857D2E4169EE7", "counterparty": {"wallet": "0x8617E340B3D01FA5F11F306F4090FD50E238070D", "id": "0x10"}}],
                         "grid": [[-1, 2], [32767, -32768]], "memo": "0x", "tag": "0x01020304", "ok": true, "notes": ["a", "", "ü"]}}
            """;
        string[] typedData = [MailTypedData(true), MailTypedData(false), complexTypedData];
        var typedSignatures = typedData.Select(t => (string)Handler.Sign(key, Json($$"""{"typedData": {{t}}}"""))["signature"]!).ToList();

        var oracle = NodeOracle.Run("chains-ethereum.mjs", new JsonObject
        {
            ["transactions"] = new JsonArray([.. results.Select(r => JsonValue.Create((string)r["signedTransaction"]!))]),
            ["messages"] = new JsonArray([.. messages.Select((m, i) => new JsonObject { ["message"] = m.Message, ["bytes"] = m.Bytes, ["signature"] = messageSignatures[i] })]),
            ["typedData"] = new JsonArray([.. typedData.Select((t, i) => new JsonObject { ["typedData"] = JsonNode.Parse(t), ["signature"] = typedSignatures[i] })]),
        });

        var parsed = oracle["transactions"]!.AsArray();
        Assert.Equal(transactions.Length, parsed.Count);
        for (int i = 0; i < parsed.Count; i++)
        {
            var tx = parsed[i]!;
            Assert.Equal(from, (string)tx["from"]!);
            Assert.Equal(from, (string)results[i]["from"]!);
            Assert.Equal((string)results[i]["hash"]!, (string)tx["hash"]!);
            Assert.True((bool)tx["serializedMatches"]!);
            Assert.True((bool)tx["lowS"]!);
        }
        Assert.Equal(2, (int)parsed[0]!["type"]!);
        Assert.Equal("1", (string)parsed[0]!["chainId"]!);
        Assert.Equal(42, (int)parsed[0]!["nonce"]!);
        Assert.Equal("1000000000000000000", (string)parsed[0]!["value"]!);
        Assert.Equal("0xa9059cbb", (string)parsed[0]!["data"]!);
        Assert.Equal("0x0000000000000000000000000000000000000000000000000000000000000003", (string)parsed[0]!["accessList"]![0]!["storageKeys"]![0]!);
        Assert.Equal(2, (int)parsed[1]!["type"]!);
        Assert.Null(parsed[1]!["to"]);
        Assert.Equal("0x6080604052", (string)parsed[1]!["data"]!);
        Assert.Equal(1, (int)parsed[2]!["type"]!);
        Assert.Equal("137", (string)parsed[2]!["chainId"]!);
        Assert.Equal(0, (int)parsed[3]!["type"]!);
        Assert.Equal("137", (string)parsed[3]!["chainId"]!);
        Assert.Equal("115792089237316195423570985008687907853269984665640564039457584007913129639935", (string)parsed[3]!["value"]!);

        Assert.All(oracle["messages"]!.AsArray(), a => Assert.Equal(from, (string)a!));
        Assert.All(oracle["typedData"]!.AsArray(), a => Assert.Equal(from, (string)a!));
        Assert.Equal(messages.Length, oracle["messages"]!.AsArray().Count);
        Assert.Equal(typedData.Length, oracle["typedData"]!.AsArray().Count);
    }

    [Theory]
    [InlineData(0UL)]
    [InlineData(1UL)]
    [InlineData(255UL)]
    [InlineData(9_007_199_254_740_993UL)]
    [InlineData(ulong.MaxValue)]
    public void Decimal_and_hex_quantities_agree(ulong value)
    {
        System.Numerics.BigInteger Nonce(string json) =>
            EthereumTransactionReader.Read(Json($$"""{"chainId": 1, "nonce": {{json}}, "gasPrice": "1", "gas": "53000"}""")).Nonce;
        Assert.Equal(value, Nonce($"\"0x{value:x}\""));
        Assert.Equal(value, Nonce($"\"{value}\""));
    }

    /// <summary>Quantities up to 64 bits take a shorter path than wider ones: both read the same number, in both notations.</summary>
    [Theory]
    [InlineData("18446744073709551615")] // 2^64 − 1: 16 hex digits, 20 decimal ones
    [InlineData("18446744073709551616")] // 2^64: 17 hex digits
    [InlineData("9999999999999999999")] // 19 decimal digits
    [InlineData("10000000000000000000")] // 20 decimal digits
    [InlineData("9223372036854775808")] // 2^63: a leading hex digit 8, which a signed reading would make negative
    [InlineData("115792089237316195423570985008687907853269984665640564039457584007913129639935")] // 2^256 − 1
    public void Quantities_read_the_same_on_both_sides_of_64_bits(string decimalText)
    {
        var expected = System.Numerics.BigInteger.Parse(decimalText, System.Globalization.CultureInfo.InvariantCulture);
        System.Numerics.BigInteger Value(string json) =>
            EthereumTransactionReader.Read(Json($$"""{"chainId": 1, "nonce": 0, "gasPrice": "1", "gas": "53000", "value": {{json}}}""")).Value;
        Assert.Equal(expected, Value($"\"{decimalText}\""));
        Assert.Equal(expected, Value($"\"0x{expected.ToString("x", System.Globalization.CultureInfo.InvariantCulture).TrimStart('0')}\""));
    }

    /// <summary>
    /// What a caller using ethers v6 hands over: <c>Transaction.toJSON()</c> and <c>unsignedSerialized</c> of the same transaction
    /// both sign, to the same bytes, and ethers parses the result back to the same fields, this key's address and the same hash.
    /// </summary>
    [Fact]
    public void Transactions_built_with_ethers_sign_from_toJSON_and_from_unsigned_serialized()
    {
        using var key = RandomKey();
        string from = Signer.Describe(key.PublicKey).Address;
        var likes = new JsonArray(
            JsonNode.Parse("""{"type": 2, "chainId": 1, "nonce": 42, "to": "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed", "value": "1000000000000000000", "data": "0xa9059cbb", "gasLimit": "100000", "maxFeePerGas": "2000000000", "maxPriorityFeePerGas": "1000000000", "accessList": [{"address": "0xde709f2102306220921060314715629080e2fb77", "storageKeys": ["0x0000000000000000000000000000000000000000000000000000000000000003"]}]}"""),
            JsonNode.Parse("""{"type": 2, "chainId": 11155111, "nonce": 0, "data": "0x6080604052", "gasLimit": "3000000", "maxFeePerGas": "30000000000", "maxPriorityFeePerGas": "0"}"""),
            JsonNode.Parse("""{"type": 1, "chainId": 137, "nonce": 7, "to": "0x8617E340B3D01FA5F11F306F4090FD50E238070D", "gasPrice": "10000000000", "gasLimit": "21000", "value": "0", "accessList": []}"""),
            JsonNode.Parse("""{"type": 0, "chainId": 56, "nonce": 1, "to": "0xd1220a0cf47c7b9be7a2e6ba89f429762e7b9adb", "gasPrice": "1", "gasLimit": "21000", "value": "115792089237316195423570985008687907853269984665640564039457584007913129639935"}"""),
            JsonNode.Parse("""{"type": 0, "chainId": 5, "nonce": 0, "gasPrice": "7", "gasLimit": "60000", "data": "0x00"}"""));
        var built = NodeOracle.Run("chains-ethereum.mjs", new JsonObject { ["build"] = likes })["built"]!.AsArray();
        Assert.Equal(likes.Count, built.Count);

        var signed = new List<JsonObject>();
        foreach (var item in built)
        {
            var fromJson = Handler.Sign(key, Json(new JsonObject { ["transaction"] = item!["json"]!.DeepClone() }.ToJsonString()));
            var fromSerialized = Handler.Sign(key, Json(new JsonObject { ["transaction"] = (string)item["unsignedSerialized"]! }.ToJsonString()));
            // RFC 6979 signatures are deterministic: the same transaction read from either shape signs to the same bytes.
            Assert.Equal((string)fromJson["signedTransaction"]!, (string)fromSerialized["signedTransaction"]!);
            signed.Add(fromJson);
        }
        var parsed = NodeOracle.Run("chains-ethereum.mjs", new JsonObject
        {
            ["transactions"] = new JsonArray([.. signed.Select(r => JsonValue.Create((string)r["signedTransaction"]!))]),
        })["transactions"]!.AsArray();
        for (int i = 0; i < built.Count; i++)
        {
            var json = built[i]!["json"]!;
            var tx = parsed[i]!;
            Assert.Equal(from, (string)tx["from"]!);
            Assert.Equal(from, (string)signed[i]["from"]!);
            Assert.Equal((string)signed[i]["hash"]!, (string)tx["hash"]!);
            Assert.True((bool)tx["serializedMatches"]!);
            Assert.True((bool)tx["lowS"]!);
            Assert.Equal((int)json["type"]!, (int)tx["type"]!);
            Assert.Equal((string)json["chainId"]!, (string)tx["chainId"]!);
            Assert.Equal((int)json["nonce"]!, (int)tx["nonce"]!);
            Assert.Equal((string?)json["to"], (string?)tx["to"]);
            Assert.Equal((string)json["value"]!, (string)tx["value"]!);
            Assert.Equal((string)json["data"]!, (string)tx["data"]!);
            Assert.Equal((string)json["gasLimit"]!, (string)tx["gasLimit"]!);
        }

        // The toJSON shape may carry this key's 'from' and a null hash; a signed transaction is refused in either shape.
        var withFrom = built[0]!["json"]!.DeepClone().AsObject();
        withFrom["from"] = from;
        withFrom["hash"] = null;
        Assert.Equal((string)signed[0]["signedTransaction"]!, (string)Handler.Sign(key, Json(new JsonObject { ["transaction"] = withFrom }.ToJsonString()))["signedTransaction"]!);
        var withSig = built[0]!["json"]!.DeepClone().AsObject();
        withSig["sig"] = new JsonObject { ["r"] = "0x01", ["s"] = "0x01", ["yParity"] = 0 };
        var withHash = built[0]!["json"]!.DeepClone().AsObject();
        withHash["hash"] = (string)signed[0]["hash"]!;
        string legacy = (string)built[3]!["unsignedSerialized"]!;
        string eip1559 = (string)built[0]!["unsignedSerialized"]!;
        JsonNode[] refused =
        [
            withSig, withHash,
            (string)signed[0]["signedTransaction"]!, (string)signed[3]["signedTransaction"]!,
            legacy + "00", eip1559 + "00", "0x03" + eip1559[4..], "0x02", "0x", "0xc0", "0x02c0", "0x0", "0xzz", "02" + eip1559[4..],
            // Pre-EIP-155 legacy (6 fields, no chain id).
            "0xc9800182520880808080",
            // A non-minimal nonce (0x00 instead of 0x80).
            "0x" + "e9" + "00" + legacy[6..],
        ];
        foreach (var transaction in refused)
        {
            var ex = Assert.Throws<ChainRequestException>(() => Handler.Sign(key, Json(new JsonObject { ["transaction"] = transaction.DeepClone() }.ToJsonString())));
            Assert.Equal("invalid-transaction", Slug(ex));
        }
    }
}
