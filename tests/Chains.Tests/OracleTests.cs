using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Keystore.Chains.Bitcoin;
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
        var signer = new BitcoinSigner(BitcoinNetwork.Testnet);
        var result = signer.SignInputs(key, signer.ParsePsbt(Convert.FromBase64String((string)built["psbt"]!)),
            [NBitcoin.TaprootSigHash.Default, NBitcoin.TaprootSigHash.All | NBitcoin.TaprootSigHash.AnyoneCanPay, NBitcoin.TaprootSigHash.Single]);
        Assert.Equal([0, 2, 3], result.SignedInputs);
        string signedBase64 = result.Psbt.ToBase64();

        var verified = NodeOracle.Run("chains-bitcoin.mjs", new JsonObject
        {
            ["op"] = "verify", ["network"] = "testnet", ["psbt"] = signedBase64, ["ours"] = ours, ["otherPrivateKey"] = ToHex(otherPrivate),
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
        var before = signer.ParsePsbt(Convert.FromBase64String((string)built["psbt"]!));
        var after = signer.ParsePsbt(Convert.FromBase64String(signedBase64));
        foreach (int i in result.SignedInputs)
        {
            after.Inputs[i].TaprootKeySignature = null;
            if (before.Inputs[i].TaprootInternalKey is null) after.Inputs[i].TaprootInternalKey = null;
        }
        Assert.Equal(before.ToBase64(), after.ToBase64());
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
}
