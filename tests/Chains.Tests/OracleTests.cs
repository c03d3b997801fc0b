using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Keystore.Chains.Bitcoin;
using Keystore.Chains.Ethereum;
using Keystore.Chains.Solana;
using static Keystore.Chains.Tests.TestSupport;

namespace Keystore.Chains.Tests;

/// <summary>What this library signs, checked by independent implementations (tests/oracles/chains-*.mjs).</summary>
public class OracleTests
{
    private static SigningKey RandomSecp256k1Key()
    {
        var sk = new byte[32];
        do RandomNumberGenerator.Fill(sk); while (!Secp256k1.IsValidPrivateKey(sk));
        return Keys.Secp256k1Key(ToHex(sk));
    }

    [Fact]
    public void Ethereum_signatures_verify_in_ethers()
    {
        using var key = RandomSecp256k1Key();
        var signer = new EthereumSigner();
        string from = signer.Describe(key.PublicKey).Address;
        string[] transactions =
        [
            """{"type": "0x2", "chainId": "0x1", "nonce": "0x2a", "to": "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed", "value": "0xde0b6b3a7640000", "data": "0xa9059cbb", "gas": "0x186a0", "maxFeePerGas": "0x77359400", "maxPriorityFeePerGas": "0x3b9aca00", "accessList": [{"address": "0xde709f2102306220921060314715629080e2fb77", "storageKeys": ["0x0000000000000000000000000000000000000000000000000000000000000003"]}]}""",
            """{"chainId": 11155111, "nonce": 0, "gasLimit": "3000000", "maxFeePerGas": "30000000000", "maxPriorityFeePerGas": "0", "input": "0x6080604052"}""",
            """{"type": "0x1", "chainId": "137", "nonce": "7", "to": "0x8617E340B3D01FA5F11F306F4090FD50E238070D", "gasPrice": "0x2540be400", "gas": 21000, "value": "0", "accessList": []}""",
            """{"chainId": "0x89", "nonce": "0x0", "to": "0xd1220a0cf47c7b9be7a2e6ba89f429762e7b9adb", "gasPrice": "1", "gas": "0x5208", "value": "0xffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff"}""",
        ];
        var results = transactions.Select(t => signer.Sign(key, Keys.Json($$"""{"transaction": {{t}}}"""))).ToList();

        var messages = new (string Message, bool Bytes)[] { ("hello ⚡ keystore", false), ("0xdeadbeef00", true), ("", false) };
        var messageSignatures = messages.Select(m => (string)signer.Sign(key, Keys.Json(new JsonObject { ["message"] = m.Message }.ToJsonString()))["signature"]!).ToList();

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
        string[] typedData = [EthereumTests.MailTypedData(true), EthereumTests.MailTypedData(false), complexTypedData];
        var typedSignatures = typedData.Select(t => (string)signer.Sign(key, Keys.Json($$"""{"typedData": {{t}}}"""))["signature"]!).ToList();

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

    [Fact]
    public void Taproot_addresses_match_scure()
    {
        var keys = Enumerable.Range(0, 4).Select(_ => RandomSecp256k1Key()).ToList();
        try
        {
            foreach (var (network, name) in new[] { (BitcoinNetwork.Mainnet, "mainnet"), (BitcoinNetwork.Testnet, "testnet"), (BitcoinNetwork.Regtest, "regtest") })
            {
                var signer = new BitcoinSigner(network);
                var oracle = NodeOracle.Run("chains-bitcoin.mjs", new JsonObject
                {
                    ["op"] = "addresses",
                    ["network"] = name,
                    ["internalKeys"] = new JsonArray([.. keys.Select(k => JsonValue.Create(ToHex(k.PublicKey[1..])))]),
                });
                var expected = oracle["addresses"]!.AsArray().Select(a => (string)a!).ToList();
                Assert.Equal(expected, keys.Select(k => signer.Describe(k.PublicKey).Address).ToList());
            }
        }
        finally
        {
            keys.ForEach(k => k.Dispose());
        }
    }

    [Fact]
    public void Signed_psbt_finalizes_in_scure()
    {
        using var key = RandomSecp256k1Key();
        var otherPrivate = new byte[32];
        do RandomNumberGenerator.Fill(otherPrivate); while (!Secp256k1.IsValidPrivateKey(otherPrivate));
        string ours = ToHex(key.PublicKey[1..]);

        var built = NodeOracle.Run("chains-bitcoin.mjs", new JsonObject { ["op"] = "build", ["network"] = "testnet", ["ours"] = ours, ["otherPrivateKey"] = ToHex(otherPrivate) });
        // Inputs 2 and 3 ask for ALL|ANYONECANPAY and SINGLE, which are signed only when the request accepts them.
        var result = new BitcoinSigner(BitcoinNetwork.Testnet).Sign(key, Keys.Json(new JsonObject
        {
            ["psbt"] = (string)built["psbt"]!,
            ["allowedSighashTypes"] = new JsonArray("DEFAULT", "ALL|ANYONECANPAY", "SINGLE"),
        }.ToJsonString()));
        Assert.Equal([0, 2, 3], result["signedInputs"]!.AsArray().Select(n => (int)n!).ToArray());

        var verified = NodeOracle.Run("chains-bitcoin.mjs", new JsonObject
        {
            ["op"] = "verify", ["network"] = "testnet", ["psbt"] = (string)result["psbt"]!, ["ours"] = ours, ["otherPrivateKey"] = ToHex(otherPrivate),
        });
        var inputs = verified["ourInputs"]!.AsArray();
        Assert.Equal([0, 2, 3], inputs.Select(i => (int)i!["index"]!).ToArray());
        Assert.Equal([0, 0x81, 0x03], inputs.Select(i => (int)i!["hashType"]!).ToArray());
        Assert.Equal([64, 65, 65], inputs.Select(i => (int)i!["sigLength"]!).ToArray());
        Assert.All(inputs, i => Assert.True((bool)i!["valid"]!));
        Assert.All(inputs, i => Assert.Equal(ours, (string)i!["internalKey"]!));
        Assert.True((bool)verified["foreignUntouched"]!);
        Assert.True((bool)verified["isFinal"]!);
        Assert.False(string.IsNullOrEmpty((string)verified["txHex"]!));

        // The original entries survive re-serialization: the signed PSBT minus our additions is the input.
        var before = Psbt.Parse(Convert.FromBase64String((string)built["psbt"]!));
        var after = Psbt.Parse(Convert.FromBase64String((string)result["psbt"]!));
        Assert.Equal(before.Global.Entries, after.Global.Entries, PsbtEntryComparer.Instance);
        Assert.Equal(before.Inputs[1].Entries, after.Inputs[1].Entries, PsbtEntryComparer.Instance);
        for (int i = 0; i < before.Outputs.Count; i++)
            Assert.Equal(before.Outputs[i].Entries, after.Outputs[i].Entries, PsbtEntryComparer.Instance);
    }

    [Fact]
    public void Solana_signatures_verify_in_web3()
    {
        var seed = RandomNumberGenerator.GetBytes(32);
        using var key = Keys.Ed25519Key(ToHex(seed));
        CryptographicOperations.ZeroMemory(seed);
        var signer = new SolanaSigner();
        string address = signer.Describe(key.PublicKey).Address;
        var built = NodeOracle.Run("chains-solana.mjs", new JsonObject { ["op"] = "build", ["signer"] = address });

        string SignMessage(string base64) =>
            Base58.Encode(signer.SignMessage(key, SolanaMessage.Parse(Convert.FromBase64String(base64), ChainError.InvalidMessage)));
        string SignTransaction(string base64) =>
            Convert.ToBase64String(signer.SignTransaction(key, SolanaTransaction.Parse(Convert.FromBase64String(base64), ChainError.InvalidTransaction)).WireTransaction);
        var legacySignature = SignMessage((string)built["legacyMessage"]!);
        var v0Signature = SignMessage((string)built["v0Message"]!);
        var legacyTransaction = SignTransaction((string)built["legacyTransaction"]!);
        var v0Transaction = SignTransaction((string)built["v0Transaction"]!);

        var verified = NodeOracle.Run("chains-solana.mjs", new JsonObject
        {
            ["op"] = "verify",
            ["signer"] = address,
            ["signatures"] = new JsonArray(
                new JsonObject { ["message"] = (string)built["legacyMessage"]!, ["signature"] = legacySignature },
                new JsonObject { ["message"] = (string)built["v0Message"]!, ["signature"] = v0Signature }),
            ["legacyTransaction"] = legacyTransaction,
            ["v0Transaction"] = v0Transaction,
        });
        Assert.All(verified["signatures"]!.AsArray(), s => Assert.True((bool)s!));
        Assert.Equal(2, verified["signatures"]!.AsArray().Count);
        Assert.True((bool)verified["legacyVerified"]!);
        Assert.True((bool)verified["v0Verified"]!);
    }

    private sealed class PsbtEntryComparer : IEqualityComparer<PsbtEntry>
    {
        public static readonly PsbtEntryComparer Instance = new();
        public bool Equals(PsbtEntry? x, PsbtEntry? y) => x!.Key.AsSpan().SequenceEqual(y!.Key) && x.Value.AsSpan().SequenceEqual(y.Value);
        public int GetHashCode(PsbtEntry obj) => obj.Key.Length;
    }
}
