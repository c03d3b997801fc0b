using System.Text.Json;
using Keystore.Chains.Ethereum;
using Keystore.Near.Encoding;
using static Keystore.Chains.Tests.TestSupport;

namespace Keystore.Chains.Tests;

public class EthereumTests
{
    private static readonly EthereumSigner Signer = new();

    /// <summary>The EIP-155 example transaction (nonce 9, 20 gwei, 21000 gas, 1 ether to 0x3535…, chain 1, key 0x4646…).</summary>
    [Fact]
    public void Eip155_example_transaction()
    {
        using var key = Keys.Secp256k1Key("4646464646464646464646464646464646464646464646464646464646464646");
        var result = Signer.Sign(key, Keys.Json("""
            {"transaction": {"nonce": "0x9", "gasPrice": "20000000000", "gas": 21000,
             "to": "0x3535353535353535353535353535353535353535", "value": "1000000000000000000", "chainId": 1}}
            """));
        Assert.Equal("0xf86c098504a817c800825208943535353535353535353535353535353535353535880de0b6b3a76400008025a028ef61340bd939bc2195fe537567866003e1a15d3c71ff63e1590620aa636276a067cbe9d8997f761aecb703304b3800ccf555c9f3dc64214b297fb1966a3b6d83",
            (string)result["signedTransaction"]!);
        Assert.Equal("0x" + ToHex(Keccak256.Hash(Hex((string)result["signedTransaction"]!))), (string)result["hash"]!);
        Assert.Equal("0x9d8A62f656a8d1615C1294fd71e9CFb3E4855A4F", (string)result["from"]!);
    }

    [Fact]
    public void Eip155_signing_hash()
    {
        var tx = EthereumTransaction.Parse(Keys.Json("""
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
        var cow = ToHex(Keccak256.Hash("cow"u8));
        using var key = Keys.Secp256k1Key(cow);
        Assert.Equal("0xCD2a3d9F938E13CD947Ec05AbC7FE734Df8DD826", Signer.Describe(key.PublicKey).Address);
        var typedData = Keys.Json(MailTypedData(includeDomainType: true));
        Assert.Equal("be609aee343fb3c4b28e1df9e632fca64fcfaede20f02e86244efddf30957bd2", ToHex(TypedData.Digest(typedData)));
        var result = Signer.Sign(key, Keys.Json($$"""{"typedData": {{MailTypedData(true)}}}"""));
        Assert.Equal("0x4355c47d63924e8a72e509b65029052eb6c299d53a04e167c5775fd466751c9d07299936d304c153f6443dfa05f40ff007d72911b6f72307f996231605b915621c",
            (string)result["signature"]!);
        // Without EIP712Domain in types it is inferred from the domain's fields: same digest.
        Assert.Equal("be609aee343fb3c4b28e1df9e632fca64fcfaede20f02e86244efddf30957bd2",
            ToHex(TypedData.Digest(Keys.Json(MailTypedData(includeDomainType: false)))));
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
        var data = Keys.Json("""
            {"types": {"Z": [{"name":"b","type":"B[]"},{"name":"a","type":"A"}], "A": [{"name":"x","type":"uint8"}], "B": [{"name":"a","type":"A[2]"}]},
             "primaryType": "Z", "domain": {"name": "t"},
             "message": {"b": [{"a": [{"x": 1}, {"x": 2}]}], "a": {"x": 255}}}
            """);
        var digest = TypedData.Digest(data);
        Assert.Equal(32, digest.Length);
        var bad = Keys.Json("""
            {"types": {"A": [{"name":"x","type":"uint8"}]}, "primaryType": "A", "domain": {"name": "t"}, "message": {"x": 256}}
            """);
        Assert.Equal("invalid-typed-data", Assert.Throws<ChainRequestException>(() => TypedData.Digest(bad)).Slug());
        var wrongLength = Keys.Json("""
            {"types": {"A": [{"name":"x","type":"uint8[2]"}]}, "primaryType": "A", "domain": {"name": "t"}, "message": {"x": [1]}}
            """);
        Assert.Throws<ChainRequestException>(() => TypedData.Digest(wrongLength));
    }

    // EIP-55 examples.
    [Theory]
    [InlineData("0x52908400098527886E0F7030069857D2E4169EE7")]
    [InlineData("0x8617E340B3D01FA5F11F306F4090FD50E238070D")]
    [InlineData("0xde709f2102306220921060314715629080e2fb77")]
    [InlineData("0x27b1fdb04752bbc536007a920d24acb045561c26")]
    [InlineData("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed")]
    [InlineData("0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359")]
    [InlineData("0xdbF03B407c01E7cD3CBea99509d93f8DDDC8C6FB")]
    [InlineData("0xD1220A0cf47c7B9Be7A2E6BA89F429762e7b9aDb")]
    public void Eip55_checksum_vectors(string address)
    {
        Assert.True(EthereumAddress.TryParse(address, out var bytes));
        bool mixed = address.Skip(2).Any(char.IsLower) && address.Skip(2).Any(char.IsUpper);
        if (mixed) Assert.Equal(address, EthereumAddress.ToChecksum(bytes));
        else Assert.Equal(address.ToLowerInvariant(), EthereumAddress.ToChecksum(bytes).ToLowerInvariant());
        if (mixed)
        {
            // One flipped letter breaks the checksum.
            int i = address.IndexOfAny("abcdef".ToCharArray(), 2);
            var typo = address[..i] + char.ToUpperInvariant(address[i]) + address[(i + 1)..];
            Assert.False(EthereumAddress.TryParse(typo, out _));
        }
    }

    [Fact]
    public void Describe_and_path()
    {
        using var key = Keys.Secp256k1Key("4646464646464646464646464646464646464646464646464646464646464646");
        var described = Signer.Describe(key.PublicKey);
        Assert.Equal("0x9d8A62f656a8d1615C1294fd71e9CFb3E4855A4F", described.Address);
        Assert.StartsWith("secp256k1:", described.PublicKey);
        var full = new byte[65];
        Assert.True(Secp256k1.TryDecompress(key.PublicKey, full));
        Assert.Equal(full[1..], Base58.Decode(described.PublicKey["secp256k1:".Length..]));
        Assert.Equal("m/44'/60'/0'/0/7", Signer.DerivationPath(7).ToString());
        Assert.Throws<ArgumentOutOfRangeException>(() => Signer.DerivationPath(0x8000_0000));
    }

    [Fact]
    public void Personal_message_signature_recovers_to_the_address()
    {
        using var key = Keys.Secp256k1Key("4646464646464646464646464646464646464646464646464646464646464646");
        var text = Signer.Sign(key, Keys.Json("""{"message": "hello"}"""));
        var hex = Signer.Sign(key, Keys.Json("""{"message": "0x68656c6c6f"}"""));
        var forcedText = Signer.Sign(key, Keys.Json("""{"message": "0x68656c6c6f", "encoding": "utf8"}"""));
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
        using var key = Keys.Secp256k1Key("4646464646464646464646464646464646464646464646464646464646464646");
        var ex = Assert.Throws<ChainRequestException>(() => Signer.Sign(key, Keys.Json(request)));
        Assert.Equal(problem, ex.Slug());
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
        using var key = Keys.Secp256k1Key("4646464646464646464646464646464646464646464646464646464646464646");
        var ex = Assert.Throws<ChainRequestException>(() => Signer.Sign(key, Keys.Json($$"""{"transaction": {{tx}}}""")));
        Assert.Equal("invalid-transaction", ex.Slug());
    }

    [Fact]
    public void Intrinsic_gas_and_the_largest_chain_id_are_signed()
    {
        using var key = Keys.Secp256k1Key("4646464646464646464646464646464646464646464646464646464646464646");
        Assert.Equal(9_223_372_036_854_775_771, (long)EthereumTransaction.MaxChainId);
        Assert.Equal(21_064 + 2_400 + 1_900, EthereumTransaction.IntrinsicGasFloor(Hex("a9059cbb"),
            creation: false, [new AccessListEntry(new byte[20], [new byte[32]])]));
        Assert.Equal(21_000 + 32_000 + 4 + 16, EthereumTransaction.IntrinsicGasFloor([0, 1], creation: true, []));
        // Exactly the floor signs; the largest legacy chain id gives v = 2 * id + 35 + r, still within 64 bits.
        var signed = (string)Signer.Sign(key, Keys.Json("""{"transaction": {"chainId": "9223372036854775771", "nonce": 0, "gasPrice": "1", "gas": "21064", "to": "0x3535353535353535353535353535353535353535", "data": "0xa9059cbb"}}"""))["signedTransaction"]!;
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
        using var key = Keys.Secp256k1Key("4646464646464646464646464646464646464646464646464646464646464646");
        string Signed(string tx) => (string)Signer.Sign(key, Keys.Json($$"""{"transaction": {{tx}}}"""))["signedTransaction"]!;
        Assert.StartsWith("0x02", Signed("""{"chainId": "0x1", "nonce": "0x0", "maxFeePerGas": "0x2", "maxPriorityFeePerGas": "0x1", "gas": "0xcf08"}"""));
        Assert.StartsWith("0x01", Signed("""{"chainId": "0x1", "nonce": "0x0", "gasPrice": "0x2", "gas": "0xcf08", "accessList": []}"""));
        Assert.StartsWith("0xf8", Signed("""{"chainId": "0x1", "nonce": "0x0", "gasPrice": "0x2", "gas": "0x5208", "to": "0x3535353535353535353535353535353535353535"}"""));
    }

    [Fact]
    public void A_secp256k1_key_derives_its_own_public_key_and_refuses_an_invalid_scalar()
    {
        // 3·G, the compressed point from SEC 2's multiples of the generator.
        using var key = Keys.Secp256k1Key("0000000000000000000000000000000000000000000000000000000000000003");
        Assert.Equal("02f9308a019258c31049344f85f89d5229b531c845836f99b08601f113bce036f9", ToHex(key.PublicKey));
        Assert.Throws<ArgumentException>(() => new SigningKey(KeyCurve.Secp256k1, new byte[32]));
        Assert.Throws<ArgumentException>(() => new SigningKey(KeyCurve.Secp256k1, Hex("fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141")));
        using var clone = key.Clone();
        Assert.Equal(ToHex(key.PublicKey), ToHex(clone.PublicKey));
        Assert.Equal(ToHex(key.PrivateKey), ToHex(clone.PrivateKey));
    }

    [Fact]
    public void Rlp_encodes_long_strings_and_lists()
    {
        var rlp = new Rlp();
        rlp.BeginList();
        rlp.WriteBytes(new byte[56]);
        rlp.WriteBytes([0x7f]);
        rlp.WriteBytes([0x80]);
        rlp.WriteBytes([]);
        rlp.EndList();
        // list header f8 3e (62-byte payload); string header b8 38; 0x7f as itself; 0x80 as 81 80; empty as 80.
        Assert.Equal("f83eb838" + new string('0', 112) + "7f818080", ToHex(rlp.Written));
    }
}
