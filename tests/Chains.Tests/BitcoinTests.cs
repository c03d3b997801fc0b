using System.Text.Json;
using System.Text.RegularExpressions;
using Keystore.Chains.Bitcoin;
using static Keystore.Chains.Tests.TestSupport;

namespace Keystore.Chains.Tests;

public class BitcoinTests
{
    private static JsonElement Bip341 => JsonDocument.Parse(File.ReadAllText(Vector("bip341-wallet-test-vectors.json"))).RootElement;

    /// <summary>BIP341 wallet vectors, scriptPubKey section: tweak, output key, scriptPubKey and address (all cases, with and without script trees).</summary>
    [Fact]
    public void Bip341_script_pub_keys()
    {
        int checkedCases = 0;
        foreach (var vector in Bip341.GetProperty("scriptPubKey").EnumerateArray())
        {
            var internalKey = Hex(vector.GetProperty("given").GetProperty("internalPubkey").GetString()!);
            var intermediary = vector.GetProperty("intermediary");
            var merkleRoot = intermediary.GetProperty("merkleRoot").ValueKind == JsonValueKind.Null ? [] : Hex(intermediary.GetProperty("merkleRoot").GetString()!);
            var tweak = new byte[32];
            Secp256k1.TapTweak(internalKey, merkleRoot, tweak);
            Assert.Equal(intermediary.GetProperty("tweak").GetString(), ToHex(tweak));
            var output = new byte[32];
            Assert.True(Secp256k1.TryGetTaprootOutputKey(internalKey, merkleRoot, output, out _));
            Assert.Equal(intermediary.GetProperty("tweakedPubkey").GetString(), ToHex(output));
            var expected = vector.GetProperty("expected");
            Assert.Equal(expected.GetProperty("scriptPubKey").GetString(), "5120" + ToHex(output));
            Assert.Equal(expected.GetProperty("bip350Address").GetString(), Bech32.EncodeSegwitAddress("bc", 1, output));
            if (merkleRoot.Length == 0)
            {
                // No script tree: the signer's own Describe must give the same address.
                var described = new BitcoinSigner(BitcoinNetwork.Mainnet).Describe([0x02, .. internalKey]);
                Assert.Equal(expected.GetProperty("bip350Address").GetString(), described.Address);
            }
            checkedCases++;
        }
        Assert.Equal(7, checkedCases);
    }

    /// <summary>BIP341 wallet vectors, keyPathSpending: intermediary hashes, sigMsg, sigHash and the witness signature of every input.</summary>
    [Fact]
    public void Bip341_key_path_spending()
    {
        var spending = Bip341.GetProperty("keyPathSpending")[0];
        var given = spending.GetProperty("given");
        var tx = BitcoinTransaction.Parse(Hex(given.GetProperty("rawUnsignedTx").GetString()!));
        Assert.Equal(given.GetProperty("rawUnsignedTx").GetString(), ToHex(tx.Serialize()));
        var spent = given.GetProperty("utxosSpent").EnumerateArray()
            .Select(u => (TxOut?)new TxOut(u.GetProperty("amountSats").GetInt64(), Hex(u.GetProperty("scriptPubKey").GetString()!)))
            .ToList();
        var sighasher = new TaprootSighash(tx, spent);
        int inputs = 0;
        foreach (var input in spending.GetProperty("inputSpending").EnumerateArray())
        {
            var g = input.GetProperty("given");
            var im = input.GetProperty("intermediary");
            int index = g.GetProperty("txinIndex").GetInt32();
            byte hashType = (byte)g.GetProperty("hashType").GetInt32();
            var merkleRoot = g.GetProperty("merkleRoot").ValueKind == JsonValueKind.Null ? [] : Hex(g.GetProperty("merkleRoot").GetString()!);
            Assert.Equal(im.GetProperty("sigMsg").GetString(), ToHex(sighasher.SignatureMessage(index, hashType)));
            var sighash = sighasher.Compute(index, hashType);
            Assert.Equal(im.GetProperty("sigHash").GetString(), ToHex(sighash));

            var privateKey = Hex(g.GetProperty("internalPrivkey").GetString()!);
            var signature = new byte[64];
            // The vectors sign with all-zero auxiliary randomness.
            Secp256k1.SignTaprootKeyPath(privateKey, merkleRoot, sighash, new byte[32], signature);
            var expectedWitness = input.GetProperty("expected").GetProperty("witness")[0].GetString()!;
            Assert.Equal(expectedWitness, ToHex(signature) + (hashType == 0 ? "" : hashType.ToString("x2")));

            // Independent of aux: the CSPRNG signature verifies against the output key.
            var xonly = new byte[32];
            Secp256k1.GetXOnlyPublicKey(privateKey, xonly, out _);
            Assert.Equal(im.GetProperty("internalPubkey").GetString(), ToHex(xonly));
            var output = new byte[32];
            Assert.True(Secp256k1.TryGetTaprootOutputKey(xonly, merkleRoot, output, out _));
            Secp256k1.SignTaprootKeyPath(privateKey, merkleRoot, sighash, signature);
            Assert.True(Secp256k1.VerifySchnorr(output, sighash, signature));
            inputs++;
        }
        Assert.Equal(7, inputs);
    }

    private static string Bip350 => File.ReadAllText(Vector("bip-0350.mediawiki"));

    private static string Section(string text, string start, string end)
    {
        int s = text.IndexOf(start, StringComparison.Ordinal);
        int e = text.IndexOf(end, s + start.Length, StringComparison.Ordinal);
        Assert.True(s >= 0 && e > s, $"section '{start}' not found");
        return text[s..e];
    }

    [Fact]
    public void Bip350_bech32m_strings()
    {
        var valid = Section(Bip350, "The following strings are valid Bech32m", "No string can be");
        var validStrings = Regex.Matches(valid, "<tt>(.*?)</tt>").Select(m => m.Groups[1].Value).ToList();
        Assert.Equal(7, validStrings.Count);
        foreach (var s in validStrings)
        {
            Assert.True(Bech32.TryDecode(s, out var hrp, out var data, out var variant), s);
            Assert.Equal(Bech32.Variant.Bech32m, variant);
            Assert.Equal(s.ToLowerInvariant(), Bech32.Encode(hrp, data, Bech32.Variant.Bech32m));
        }

        var invalid = Section(Bip350, "The following string are not valid Bech32m", "===Test vectors for v0-v16");
        var invalidLines = invalid.Split('\n').Where(l => l.StartsWith("* ", StringComparison.Ordinal)).ToList();
        Assert.Equal(14, invalidLines.Count);
        foreach (var line in invalidLines)
        {
            // Lines like "* 0x20 + <tt>1xj0phk</tt>" prefix a control character.
            var m = Regex.Match(line, @"^\* (?:0x([0-9A-F]{2}) \+ )?<tt>(.*?)</tt>");
            Assert.True(m.Success, line);
            string s = (m.Groups[1].Success ? ((char)Convert.ToInt32(m.Groups[1].Value, 16)).ToString() : "") + m.Groups[2].Value;
            Assert.False(Bech32.TryDecode(s, out _, out _, out var variant) && variant == Bech32.Variant.Bech32m, s);
        }
    }

    [Fact]
    public void Bip350_segwit_addresses()
    {
        var valid = Section(Bip350, "The following list gives valid segwit addresses", "The following list gives invalid");
        var pairs = Regex.Matches(valid, "<tt>(.*?)</tt>: <tt>(.*?)</tt>").ToList();
        Assert.Equal(8, pairs.Count);
        foreach (var pair in pairs)
        {
            string address = pair.Groups[1].Value, script = pair.Groups[2].Value;
            string hrp = address[..2].ToLowerInvariant();
            Assert.True(Bech32.TryDecodeSegwitAddress(hrp, address, out int version, out var program), address);
            int opcode = version == 0 ? 0 : 0x50 + version;
            Assert.Equal(script, opcode.ToString("x2") + program.Length.ToString("x2") + ToHex(program));
            Assert.Equal(address.ToLowerInvariant(), Bech32.EncodeSegwitAddress(hrp, version, program));
        }

        var invalid = Section(Bip350, "The following list gives invalid segwit addresses", "==Appendix");
        var addresses = Regex.Matches(invalid, "<tt>(.*?)</tt>").Select(m => m.Groups[1].Value).ToList();
        Assert.Equal(15, addresses.Count);
        foreach (var address in addresses)
        {
            Assert.False(Bech32.TryDecodeSegwitAddress("bc", address, out _, out _), address);
            Assert.False(Bech32.TryDecodeSegwitAddress("tb", address, out _, out _), address);
        }
    }

    /// <summary>BIP86 account 0 of the BIP's mnemonic: internal keys → output keys and addresses through Describe.</summary>
    [Fact]
    public void Bip86_addresses()
    {
        var text = File.ReadAllText(Vector("bip-0086.mediawiki"));
        var matches = Regex.Matches(text, @"internal_key = ([0-9a-f]{64})\s+output_key\s+= ([0-9a-f]{64})\s+scriptPubKey = ([0-9a-f]+)\s+address\s+= (\w+)");
        Assert.Equal(3, matches.Count);
        var signer = new BitcoinSigner(BitcoinNetwork.Mainnet);
        foreach (Match m in matches)
        {
            byte[] compressed = [0x02, .. Hex(m.Groups[1].Value)];
            Assert.Equal(m.Groups[2].Value, ToHex(BitcoinSigner.OutputKey(compressed)));
            Assert.Equal(m.Groups[3].Value, ToHex(BitcoinSigner.OutputScript(compressed)));
            Assert.Equal(m.Groups[4].Value, signer.Describe(compressed).Address);
            // The parity of the internal key does not change the output key.
            compressed[0] = 0x03;
            if (Secp256k1.IsValidPublicKey(compressed)) Assert.Equal(m.Groups[4].Value, signer.Describe(compressed).Address);
        }
        Assert.Equal("m/86'/0'/0'/0/0", signer.DerivationPath(0).ToString());
        Assert.Equal("m/86'/1'/0'/0/3", new BitcoinSigner(BitcoinNetwork.Testnet).DerivationPath(3).ToString());
        Assert.StartsWith("tb1p", new BitcoinSigner(BitcoinNetwork.Testnet).Describe([0x02, .. Hex(matches[0].Groups[1].Value)]).Address);
        Assert.StartsWith("bcrt1p", new BitcoinSigner(BitcoinNetwork.Regtest).Describe([0x02, .. Hex(matches[0].Groups[1].Value)]).Address);
    }

    public static TheoryData<string, string> Bip174Cases(bool valid)
    {
        var text = File.ReadAllText(Vector("bip-0174.mediawiki"));
        var section = valid
            ? Section(text, "The following are valid PSBTs:", "The private keys in the tests below")
            : Section(text, "The following are invalid PSBTs:", "The following are valid PSBTs:");
        var data = new TheoryData<string, string>();
        foreach (Match m in Regex.Matches(section, @"\* Case: (.*?)\n.*?\*\* Base64 String: <pre>(.*?)</pre>", RegexOptions.Singleline))
            data.Add(m.Groups[1].Value.Trim(), m.Groups[2].Value);
        return data;
    }

    public static TheoryData<string, string> Bip174Valid() => Bip174Cases(true);

    public static TheoryData<string, string> Bip174Invalid() => Bip174Cases(false);

    [Fact]
    public void Bip174_case_counts()
    {
        Assert.Equal(14, Bip174Valid().Count);
        Assert.Equal(20, Bip174Invalid().Count);
    }

    [Theory]
    [MemberData(nameof(Bip174Valid))]
    public void Bip174_valid_psbts_parse_and_round_trip(string name, string base64)
    {
        var bytes = Convert.FromBase64String(base64);
        var psbt = Psbt.Parse(bytes);
        Assert.Equal(bytes, psbt.Serialize());
        // None of them spends our key: signing refuses, and says why.
        using var key = Keys.Secp256k1Key("0000000000000000000000000000000000000000000000000000000000000003");
        var ex = Assert.Throws<ChainRequestException>(() => new BitcoinSigner(BitcoinNetwork.Testnet).Sign(key, Keys.Json($$"""{"psbt": "{{base64}}"}""")));
        Assert.True(ex.Slug() == "no-input-to-sign", name);
    }

    [Theory]
    [MemberData(nameof(Bip174Invalid))]
    public void Bip174_invalid_psbts_are_rejected(string name, string base64)
    {
        Assert.Throws<FormatException>(() => Psbt.Parse(Convert.FromBase64String(base64)));
        using var key = Keys.Secp256k1Key("0000000000000000000000000000000000000000000000000000000000000003");
        var ex = Assert.Throws<ChainRequestException>(() => new BitcoinSigner(BitcoinNetwork.Testnet).Sign(key, Keys.Json($$"""{"psbt": "{{base64}}"}""")));
        Assert.True(ex.Slug() == "invalid-psbt", name);
    }
}
