using System.Text.Json;
using System.Text.RegularExpressions;
using Keystore.Chains.Bitcoin;
using NBitcoin;
using NBitcoin.DataEncoders;
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
            Assert.Equal(expected.GetProperty("bip350Address").GetString(), new TaprootAddress(new TaprootPubKey(output), Network.Main).ToString());
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

    /// <summary>BIP341 wallet vectors, keyPathSpending: NBitcoin's transaction and sighash, our signature, for every input.</summary>
    [Fact]
    public void Bip341_key_path_spending()
    {
        var spending = Bip341.GetProperty("keyPathSpending")[0];
        var given = spending.GetProperty("given");
        var tx = Transaction.Parse(given.GetProperty("rawUnsignedTx").GetString()!, Network.Main);
        Assert.Equal(given.GetProperty("rawUnsignedTx").GetString(), tx.ToHex());
        var spent = given.GetProperty("utxosSpent").EnumerateArray()
            .Select(u => new TxOut(Money.Satoshis(u.GetProperty("amountSats").GetInt64()), new Script(Hex(u.GetProperty("scriptPubKey").GetString()!))))
            .ToArray();
        var precomputed = tx.PrecomputeTransactionData(spent);
        int inputs = 0;
        foreach (var input in spending.GetProperty("inputSpending").EnumerateArray())
        {
            var g = input.GetProperty("given");
            var im = input.GetProperty("intermediary");
            int index = g.GetProperty("txinIndex").GetInt32();
            byte hashType = (byte)g.GetProperty("hashType").GetInt32();
            var merkleRoot = g.GetProperty("merkleRoot").ValueKind == JsonValueKind.Null ? [] : Hex(g.GetProperty("merkleRoot").GetString()!);
            var sighash = tx.GetSignatureHashTaproot(precomputed, new TaprootExecutionData(index) { SigHash = (TaprootSigHash)hashType }).ToBytes();
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

            // The signing path for a key whose tweak is known ahead (d' = ±d + t, no point addition) gives the vector's signature too.
            Secp256k1.GetXOnlyPublicKey(privateKey, xonly, out int parity);
            var tweak = new byte[32];
            Secp256k1.TapTweak(xonly, merkleRoot, tweak);
            var precomputedTweakSignature = new byte[64];
            Secp256k1.SignTaprootKeyPath(privateKey, parity == 1, tweak, output, sighash, new byte[32], precomputedTweakSignature);
            Assert.Equal(expectedWitness[..128], ToHex(precomputedTweakSignature));
            inputs++;
        }
        Assert.Equal(7, inputs);
    }

    /// <summary>What a key-path signer precomputes for <paramref name="secret"/> (no script tree): y(P)'s parity, the BIP341 tweak, and x(Q).</summary>
    private static (int Parity, byte[] Tweak, byte[] Output) KeyPathTweak(byte[] secret)
    {
        var xonly = new byte[32];
        Secp256k1.GetXOnlyPublicKey(secret, xonly, out int parity);
        var tweak = new byte[32];
        Secp256k1.TapTweak(xonly, [], tweak);
        var output = new byte[32];
        Assert.True(Secp256k1.TryGetTaprootOutputKey(xonly, [], output, out _));
        return (parity, tweak, output);
    }

    /// <summary>One keypair signs several sighashes; each signature is the one a single-sighash call gives (same aux) and verifies against x(Q).</summary>
    [Fact]
    public void Precomputed_tweak_signs_several_sighashes_each_verified_against_the_output_key()
    {
        // Both parities of the internal key: BIP341 negates the secret when y(P) is odd.
        foreach (string secretHex in new[] { "b7e151628aed2a6abf7158809cf4f3c762e7160f38b4da56a784d9045190cfef", "0000000000000000000000000000000000000000000000000000000000000003" })
        {
            var secret = Hex(secretHex);
            (int parity, byte[] tweak, byte[] output) = KeyPathTweak(secret);
            byte[] sighashes = [.. Enumerable.Range(0, 3 * 32).Select(i => (byte)(i * 7))];
            byte[] aux = [.. Enumerable.Range(0, 3 * 32).Select(i => (byte)(255 - i))];
            var signatures = new byte[3 * 64];
            Secp256k1.SignTaprootKeyPath(secret, parity == 1, tweak, output, sighashes, aux, signatures);
            for (int n = 0; n < 3; n++)
            {
                var single = new byte[64];
                Secp256k1.SignTaprootKeyPath(secret, [], sighashes.AsSpan(n * 32, 32), aux.AsSpan(n * 32, 32), single);
                Assert.Equal(ToHex(single), ToHex(signatures.AsSpan(n * 64, 64)));
                Assert.True(Secp256k1.VerifySchnorr(output, sighashes.AsSpan(n * 32, 32), signatures.AsSpan(n * 64, 64)));
            }
        }
    }

    /// <summary>A wrong parity, tweak or output key would sign for another key than the output: refused, and nothing is left in the output buffer.</summary>
    [Fact]
    public void Precomputed_tweak_refuses_a_key_that_is_not_the_output_key()
    {
        var secret = Hex("b7e151628aed2a6abf7158809cf4f3c762e7160f38b4da56a784d9045190cfef");
        (int parity, byte[] tweak, byte[] output) = KeyPathTweak(secret);
        var sighash = new byte[32];
        var otherTweak = (byte[])tweak.Clone();
        otherTweak[31] ^= 1;
        var otherOutput = (byte[])output.Clone();
        otherOutput[0] ^= 1;
        foreach (var (oddY, t, q) in new[] { (parity == 0, tweak, output), (parity == 1, otherTweak, output), (parity == 1, tweak, otherOutput) })
        {
            var signatures = Enumerable.Repeat((byte)0xee, 64).ToArray();
            var ex = Assert.Throws<InvalidOperationException>(() => Secp256k1.SignTaprootKeyPath(secret, oddY, t, q, sighash, signatures));
            Assert.Contains("not the Taproot output key", ex.Message, StringComparison.Ordinal);
            Assert.All(signatures, b => Assert.Equal(0, b));
        }
        Assert.Throws<ArgumentException>(() => Secp256k1.SignTaprootKeyPath(secret, parity == 1, tweak, output, new byte[33], new byte[66]));
        Assert.Throws<ArgumentException>(() => Secp256k1.SignTaprootKeyPath(secret, parity == 1, tweak, output, new byte[64], new byte[64]));
        Assert.Throws<ArgumentException>(() => Secp256k1.SignTaprootKeyPath(secret, parity == 1, tweak, output, [], []));
        // A tweak of n or more is not a scalar.
        var overflow = Enumerable.Repeat((byte)0xff, 32).ToArray();
        Assert.Throws<ArgumentException>(() => Secp256k1.SignTaprootKeyPath(secret, parity == 1, overflow, output, sighash, new byte[64]));
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
            Assert.True(TryDecodeBech32m(s, out var encoder, out var data), s);
            Assert.Equal(s.ToLowerInvariant(), encoder!.EncodeRaw(data!, Bech32EncodingType.BECH32M));
        }

        var invalid = Section(Bip350, "The following string are not valid Bech32m", "===Test vectors for v0-v16");
        var invalidLines = invalid.Split('\n').Where(l => l.StartsWith("* ", StringComparison.Ordinal)).ToList();
        Assert.Equal(14, invalidLines.Count);
        var accepted = new List<string>();
        foreach (var line in invalidLines)
        {
            // Lines like "* 0x20 + <tt>1xj0phk</tt>" prefix a control character.
            var m = Regex.Match(line, @"^\* (?:0x([0-9A-F]{2}) \+ )?<tt>(.*?)</tt>");
            Assert.True(m.Success, line);
            string s = (m.Groups[1].Success ? ((char)Convert.ToInt32(m.Groups[1].Value, 16)).ToString() : "") + m.Groups[2].Value;
            if (TryDecodeBech32m(s, out _, out _)) accepted.Add(s);
        }
        // NBitcoin's generic decoder does not check that the human-readable part's characters are within 33-126.
        // The keystore only encodes bech32m with its fixed prefix (bc, tb, bcrt) and never decodes it, so these cannot
        // reach a request; pinned here so a change in NBitcoin shows.
        Assert.Equal(["\u00201xj0phk", "\u007f1g6xzxy", "\u00801vctc34"], accepted);
    }

    [Fact]
    public void Bip350_segwit_addresses()
    {
        var valid = Section(Bip350, "The following list gives valid segwit addresses", "The following list gives invalid");
        var pairs = Regex.Matches(valid, "<tt>(.*?)</tt>: <tt>(.*?)</tt>").ToList();
        Assert.Equal(8, pairs.Count);
        var unread = new List<string>();
        foreach (var pair in pairs)
        {
            string address = pair.Groups[1].Value, script = pair.Groups[2].Value;
            string hrp = address[..2].ToLowerInvariant();
            var network = hrp == "bc" ? Network.Main : Network.TestNet;
            if (!IsAddress(address, network))
            {
                unread.Add(address);
                continue;
            }
            var parsed = BitcoinAddress.Create(address, network);
            Assert.Equal(script, ToHex(parsed.ScriptPubKey.ToBytes()));
            Assert.Equal(address.ToLowerInvariant(), parsed.ScriptPubKey.GetDestinationAddress(network)!.ToString());
        }

        // NBitcoin reads witness versions 0 and 1 (32-byte program) as addresses, not the future versions 2-16 or a
        // 40-byte v1 program: none of them is an address the keystore makes (BIP86 is v1, 32 bytes).
        Assert.Equal(["bc1pw508d6qejxtdg4y5r3zarvary0c5xw7kw508d6qejxtdg4y5r3zarvary0c5xw7kt5nd6y", "BC1SW50QGDZ25J", "bc1zw508d6qejxtdg4y5r3zarvaryvaxxpcs"], unread);
        var invalid = Section(Bip350, "The following list gives invalid segwit addresses", "==Appendix");
        var addresses = Regex.Matches(invalid, "<tt>(.*?)</tt>").Select(m => m.Groups[1].Value).ToList();
        Assert.Equal(15, addresses.Count);
        foreach (var address in addresses)
        {
            Assert.False(IsAddress(address, Network.Main), address);
            Assert.False(IsAddress(address, Network.TestNet), address);
        }
    }

    private static bool TryDecodeBech32m(string text, out Bech32Encoder? encoder, out byte[]? data)
    {
        encoder = null;
        data = null;
        try
        {
            encoder = Bech32Encoder.ExtractEncoderFromString(text);
            encoder.StrictLength = true;
            data = encoder.DecodeDataRaw(text, out var type);
            return type == Bech32EncodingType.BECH32M;
        }
        catch (FormatException)
        {
            return false;
        }
    }

    private static bool IsAddress(string text, Network network)
    {
        try
        {
            BitcoinAddress.Create(text, network);
            return true;
        }
        catch (FormatException)
        {
            return false;
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
            // What the signer keeps per key: the same output key and script, the internal key's parity and its TapTweak.
            var taproot = TaprootOutput.Of(compressed);
            Assert.Equal(m.Groups[2].Value, ToHex(taproot.OutputKey));
            Assert.Equal(m.Groups[3].Value, ToHex(taproot.Script.ToBytes()));
            Assert.Equal(m.Groups[1].Value, ToHex(taproot.InternalKey));
            Assert.Equal(m.Groups[1].Value, ToHex(taproot.PsbtInternalKey.ToBytes()));
            Assert.False(taproot.InternalKeyOddY);
            var tweak = new byte[32];
            Secp256k1.TapTweak(Hex(m.Groups[1].Value), [], tweak);
            Assert.Equal(ToHex(tweak), ToHex(taproot.Tweak));
            // The parity of the internal key does not change the output key.
            compressed[0] = 0x03;
            if (Secp256k1.IsValidPublicKey(compressed))
            {
                Assert.Equal(m.Groups[4].Value, signer.Describe(compressed).Address);
                Assert.True(TaprootOutput.Of(compressed).InternalKeyOddY);
                Assert.Equal(m.Groups[2].Value, ToHex(TaprootOutput.Of(compressed).OutputKey));
            }
        }
        Assert.Equal("m/86'/0'/0'/0/0", signer.DerivationPath(0).ToString());
        Assert.Equal("m/86'/1'/0'/0/3", new BitcoinSigner(BitcoinNetwork.Testnet).DerivationPath(3).ToString());
        Assert.Equal(KeyPath.Parse("m/86'/1'/0'/0/7"), new BitcoinSigner(BitcoinNetwork.Regtest).Bip86Path(7));
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
        // The vectors' global xpubs are mainnet or testnet ones, which NBitcoin checks against the PSBT's network.
        // A PSBT_GLOBAL_XPUB key (length 79, type 0x01) whose xpub has the testnet version 0x043587cf:
        bool testnetXpub = Convert.FromBase64String(base64).AsSpan().IndexOf((byte[])[0x4f, 0x01, 0x04, 0x35, 0x87, 0xcf]) >= 0;
        var signer = new BitcoinSigner(testnetXpub ? BitcoinNetwork.Testnet : BitcoinNetwork.Mainnet);
        using var key = Keys.Secp256k1Key("0000000000000000000000000000000000000000000000000000000000000003");
        if (name == "PSBT with 0 inputs")
        {
            // NBitcoin takes the zero input count of the unsigned transaction for the segwit marker and cannot read it.
            // Nothing could be signed in it anyway: the refusal is invalid-psbt rather than no-input-to-sign.
            Assert.Equal("invalid-psbt", Assert.Throws<ChainRequestException>(() => signer.ParsePsbt(Convert.FromBase64String(base64))).Slug());
            return;
        }
        var psbt = signer.ParsePsbt(Convert.FromBase64String(base64));
        // What NBitcoin writes back reads again as the same PSBT (it orders the keys of each map, so bytes may differ);
        // it refuses to write a transaction with no input at all.
        if (psbt.Inputs.Count > 0) Assert.Equal(psbt.ToBase64(), signer.ParsePsbt(psbt.ToBytes()).ToBase64());
        // None of them spends our key: signing refuses, and says why.
        var ex = Assert.Throws<ChainRequestException>(() => signer.SignInputs(key, psbt));
        Assert.True(ex.Slug() == "no-input-to-sign", name);
    }

    [Theory]
    [MemberData(nameof(Bip174Invalid))]
    public void Bip174_invalid_psbts_are_rejected(string name, string base64)
    {
        var ex = Assert.Throws<ChainRequestException>(() => new BitcoinSigner(BitcoinNetwork.Mainnet).ParsePsbt(Convert.FromBase64String(base64)));
        Assert.True(ex.Slug() == "invalid-psbt", name);
    }
}
