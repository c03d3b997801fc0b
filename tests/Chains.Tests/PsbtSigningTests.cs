using System.Buffers.Binary;
using Keystore.Chains.Bitcoin;
using static Keystore.Chains.Tests.TestSupport;

namespace Keystore.Chains.Tests;

/// <summary>Key-path signing of PSBTs built here byte by byte, and the requests it must refuse.</summary>
public class PsbtSigningTests
{
    private const string PrivateKey = "b7e151628aed2a6abf7158809cf4f3c762e7160f38b4da56a784d9045190cfef";
    private static readonly BitcoinSigner Signer = new(BitcoinNetwork.Mainnet);

    /// <summary>A PSBT with one input per (script, amount, extra input entries) and one output per input.</summary>
    private static byte[] BuildPsbt(params (byte[]? Script, long Amount, (byte[] Key, byte[] Value)[] Extra)[] inputs)
    {
        var tx = new BitcoinTransaction(2,
            [.. inputs.Select((_, i) => new TxIn(Enumerable.Repeat((byte)(i + 1), 32).ToArray(), (uint)i, [], 0xfffffffd))],
            [.. inputs.Select((_, i) => new TxOut(1000 + i, [0x51, 0x20, .. new byte[32]]))],
            0);
        var w = new BitcoinWriter();
        w.WriteBytes([0x70, 0x73, 0x62, 0x74, 0xff]);
        w.WriteVarBytes([0x00]);
        w.WriteVarBytes(tx.Serialize());
        w.WriteByte(0);
        foreach (var (script, amount, extra) in inputs)
        {
            if (script is not null)
            {
                var utxo = new BitcoinWriter();
                new TxOut(amount, script).Write(utxo);
                w.WriteVarBytes([0x01]);
                w.WriteVarBytes(utxo.Written);
            }
            foreach (var (k, v) in extra)
            {
                w.WriteVarBytes(k);
                w.WriteVarBytes(v);
            }
            w.WriteByte(0);
        }
        foreach (var _ in inputs) w.WriteByte(0);
        return w.ToArray();
    }

    private static (byte[] Key, byte[] Value) SighashType(uint type)
    {
        var value = new byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(value, type);
        return ([0x03], value);
    }

    private static System.Text.Json.Nodes.JsonObject Sign(SigningKey key, byte[] psbt, params string[] allowedSighashTypes) =>
        Signer.Sign(key, Keys.Json(Request(psbt, allowedSighashTypes)));

    private static string Request(byte[] psbt, params string[] allowedSighashTypes)
    {
        var request = new System.Text.Json.Nodes.JsonObject { ["psbt"] = Convert.ToBase64String(psbt) };
        if (allowedSighashTypes.Length > 0)
            request["allowedSighashTypes"] = new System.Text.Json.Nodes.JsonArray([.. allowedSighashTypes.Select(t => System.Text.Json.Nodes.JsonValue.Create(t))]);
        return request.ToJsonString();
    }

    private static string Problem(SigningKey key, string request) =>
        Assert.Throws<ChainRequestException>(() => Signer.Sign(key, Keys.Json(request))).Slug();

    [Fact]
    public void Signs_our_inputs_only_and_the_signatures_verify()
    {
        using var key = Keys.Secp256k1Key(PrivateKey);
        var ours = BitcoinSigner.OutputScript(key.PublicKey);
        byte[] foreign = [0x51, 0x20, .. Enumerable.Repeat((byte)0x11, 32)];
        var unknown = (new byte[] { 0xf0, 0x01 }, new byte[] { 0xaa });
        var psbt = BuildPsbt((ours, 5000, []), (foreign, 6000, [unknown]), (ours, 7000, [SighashType(0x83)]));
        var result = Sign(key, psbt, "DEFAULT", "SINGLE|ANYONECANPAY");
        Assert.Equal("[0,2]", result["signedInputs"]!.ToJsonString());

        var signed = Psbt.Parse(Convert.FromBase64String((string)result["psbt"]!));
        var spent = new TxOut?[] { new(5000, ours), new(6000, foreign), new(7000, ours) };
        var sighasher = new TaprootSighash(signed.UnsignedTransaction, spent);
        var outputKey = BitcoinSigner.OutputKey(key.PublicKey);

        var sig0 = signed.Inputs[0].Get(Psbt.InTapKeySig)!;
        Assert.Equal(64, sig0.Length);
        Assert.True(Secp256k1.VerifySchnorr(outputKey, sighasher.Compute(0, 0x00), sig0));
        var sig2 = signed.Inputs[2].Get(Psbt.InTapKeySig)!;
        Assert.Equal(65, sig2.Length);
        Assert.Equal(0x83, sig2[64]);
        Assert.True(Secp256k1.VerifySchnorr(outputKey, sighasher.Compute(2, 0x83), sig2[..64]));
        Assert.Equal(key.PublicKey[1..].ToArray(), signed.Inputs[0].Get(Psbt.InTapInternalKey));

        // The foreign input keeps exactly its entries, including the unknown one.
        Assert.Equal(2, signed.Inputs[1].Entries.Count);
        Assert.Null(signed.Inputs[1].Get(Psbt.InTapKeySig));
        Assert.Equal([0xaa], signed.Inputs[1].Entries[1].Value);
    }

    [Fact]
    public void Anyone_can_pay_needs_only_its_own_utxo()
    {
        using var key = Keys.Secp256k1Key(PrivateKey);
        var ours = BitcoinSigner.OutputScript(key.PublicKey);
        // Input 1 has no witness_utxo: fine for ANYONECANPAY, fatal for SIGHASH_DEFAULT.
        var acp = BuildPsbt((ours, 5000, [SighashType(0x81)]), (null, 0, []));
        Assert.Equal("[0]", Sign(key, acp, "ALL|ANYONECANPAY")["signedInputs"]!.ToJsonString());
        var all = BuildPsbt((ours, 5000, []), (null, 0, []));
        Assert.Equal("invalid-psbt", Problem(key, $$"""{"psbt": "{{Convert.ToBase64String(all)}}"}"""));
    }

    /// <summary>Someone else's input carries only non_witness_utxo: its amount and script come from that transaction.</summary>
    [Theory]
    [InlineData(false, false)]
    [InlineData(true, false)]
    [InlineData(false, true)]
    public void Non_witness_utxo_supplies_the_spent_output(bool witnessSerialized, bool wrongTxid)
    {
        using var key = Keys.Secp256k1Key(PrivateKey);
        var ours = BitcoinSigner.OutputScript(key.PublicKey);
        byte[] p2pkh = [0x76, 0xa9, 0x14, .. new byte[20], 0x88, 0xac];
        var previous = new BitcoinTransaction(1, [new TxIn(new byte[32], 0, [0x51], 0xffffffff)], [new TxOut(111, [0x6a]), new TxOut(4242, p2pkh)], 0);
        byte[] previousBytes = previous.Serialize();
        if (witnessSerialized)
        {
            // version ‖ 00 01 ‖ inputs ‖ outputs ‖ one witness stack with one item ‖ locktime
            previousBytes = [.. previousBytes[..4], 0x00, 0x01, .. previousBytes[4..^4], 0x01, 0x02, 0xab, 0xcd, .. previousBytes[^4..]];
        }
        var txid = previous.TxId();
        if (wrongTxid) txid[0] ^= 1;
        var tx = new BitcoinTransaction(2,
            [new TxIn(Enumerable.Repeat((byte)9, 32).ToArray(), 0, [], 0xffffffff), new TxIn(txid, 1, [], 0xffffffff)],
            [new TxOut(3000, ours)], 0);

        var w = new BitcoinWriter();
        w.WriteBytes([0x70, 0x73, 0x62, 0x74, 0xff]);
        w.WriteVarBytes([0x00]);
        w.WriteVarBytes(tx.Serialize());
        w.WriteByte(0);
        var utxo = new BitcoinWriter();
        new TxOut(5000, ours).Write(utxo);
        w.WriteVarBytes([0x01]);
        w.WriteVarBytes(utxo.Written);
        w.WriteByte(0);
        w.WriteVarBytes([0x00]);
        w.WriteVarBytes(previousBytes);
        w.WriteByte(0);
        w.WriteByte(0);

        if (wrongTxid)
        {
            Assert.Equal("invalid-psbt", Problem(key, $$"""{"psbt": "{{Convert.ToBase64String(w.ToArray())}}"}"""));
            return;
        }
        var signed = Psbt.Parse(Convert.FromBase64String((string)Sign(key, w.ToArray())["psbt"]!));
        var sighash = new TaprootSighash(tx, [new TxOut(5000, ours), new TxOut(4242, p2pkh)]).Compute(0, 0);
        Assert.True(Secp256k1.VerifySchnorr(BitcoinSigner.OutputKey(key.PublicKey), sighash, signed.Inputs[0].Get(Psbt.InTapKeySig)!));
    }

    public static TheoryData<string, string> Rejections()
    {
        using var key = Keys.Secp256k1Key(PrivateKey);
        var ours = BitcoinSigner.OutputScript(key.PublicKey);
        byte[] foreign = [0x51, 0x20, .. Enumerable.Repeat((byte)0x11, 32)];
        var good = BuildPsbt((ours, 5000, []));
        string B64(byte[] b) => $$"""{"psbt": "{{Convert.ToBase64String(b)}}"}""";
        return new TheoryData<string, string>
        {
            { """{"psbt": "not base64!"}""", "invalid-psbt" },
            { """{"psbt": 42}""", "invalid-psbt" },
            { B64(good[..^1]), "invalid-psbt" },
            { B64(good[..40]), "invalid-psbt" },
            { B64([.. good, 0]), "invalid-psbt" },
            { B64(good[5..]), "invalid-psbt" },
            { B64(BuildPsbt((foreign, 5000, []))), "no-input-to-sign" },
            { B64(BuildPsbt((ours, 5000, [SighashType(0x04)]))), "invalid-psbt" },
            { B64(BuildPsbt((ours, 5000, [SighashType(0x101)]))), "invalid-psbt" },
            { B64(BuildPsbt((ours, 5000, [([0x17], new byte[32])]))), "invalid-psbt" },
            { B64(BuildPsbt((ours, 5000, [([0x08], new byte[] { 1, 0 })]))), "no-input-to-sign" },
            { B64(BuildPsbt((ours, 5000, [([0x13], new byte[63])]))), "invalid-psbt" },
            { B64(BuildPsbt((ours, 5000, [([0x01], new byte[] { 1 })]))), "invalid-psbt" },
            { B64(BuildPsbt((ours, -1, []))), "invalid-psbt" },
            { """{}""", "invalid-request" },
        };
    }

    [Theory]
    [MemberData(nameof(Rejections))]
    public void Rejects_bad_requests(string request, string problem)
    {
        using var key = Keys.Secp256k1Key(PrivateKey);
        Assert.Equal(problem, Problem(key, request));
    }

    /// <summary>
    /// NONE commits to no output and ANYONECANPAY to no other input: such a signature lets whoever holds the PSBT
    /// redirect the money. The signer gives one only when the request lists the type; by default DEFAULT and ALL.
    /// </summary>
    [Theory]
    [InlineData(0x02, "NONE")]
    [InlineData(0x03, "SINGLE")]
    [InlineData(0x81, "ALL|ANYONECANPAY")]
    [InlineData(0x82, "NONE|ANYONECANPAY")]
    [InlineData(0x83, "SINGLE|ANYONECANPAY")]
    public void Weak_sighash_types_are_signed_only_when_the_request_lists_them(uint type, string name)
    {
        using var key = Keys.Secp256k1Key(PrivateKey);
        var ours = BitcoinSigner.OutputScript(key.PublicKey);
        var psbt = BuildPsbt((ours, 5000, [SighashType(type)]));

        var refused = Assert.Throws<ChainRequestException>(() => Sign(key, psbt));
        Assert.Equal("sighash-not-allowed", refused.Slug());
        Assert.Contains(name, refused.Message);
        Assert.Equal("sighash-not-allowed", Assert.Throws<ChainRequestException>(() => Sign(key, psbt, "DEFAULT", "ALL")).Slug());

        var signed = Psbt.Parse(Convert.FromBase64String((string)Sign(key, psbt, name)["psbt"]!));
        var sig = signed.Inputs[0].Get(Psbt.InTapKeySig)!;
        Assert.Equal((byte)type, sig[64]);
        var sighash = new TaprootSighash(signed.UnsignedTransaction, [new TxOut(5000, ours)]).Compute(0, (byte)type);
        Assert.True(Secp256k1.VerifySchnorr(BitcoinSigner.OutputKey(key.PublicKey), sighash, sig[..64]));
    }

    [Fact]
    public void Default_and_all_are_signed_by_default_and_a_list_narrows_them()
    {
        using var key = Keys.Secp256k1Key(PrivateKey);
        var ours = BitcoinSigner.OutputScript(key.PublicKey);
        var psbt = BuildPsbt((ours, 5000, []), (ours, 6000, [SighashType(0x01)]));
        Assert.Equal("[0,1]", Sign(key, psbt)["signedInputs"]!.ToJsonString());
        // A client that wants only SIGHASH_DEFAULT gets input 1 (SIGHASH_ALL) refused, and nothing signed.
        Assert.Equal("sighash-not-allowed", Assert.Throws<ChainRequestException>(() => Sign(key, psbt, "DEFAULT")).Slug());
        Assert.Equal("invalid-request", Problem(key, Request(psbt, "ANYONECANPAY")));
        Assert.Equal("invalid-request", Problem(key, $$"""{"psbt": "{{Convert.ToBase64String(psbt)}}", "allowedSighashTypes": "ALL"}"""));
    }

    [Fact]
    public void Sighash_single_without_matching_output_is_rejected()
    {
        using var key = Keys.Secp256k1Key(PrivateKey);
        var ours = BitcoinSigner.OutputScript(key.PublicKey);
        var psbt = Psbt.Parse(BuildPsbt((ours, 1, []), (ours, 2, [SighashType(0x03)])));
        // Drop the outputs: rebuild the global tx with none.
        var tx = psbt.UnsignedTransaction with { Outputs = [] };
        var sighasher = new TaprootSighash(tx, [new TxOut(1, ours), new TxOut(2, ours)]);
        Assert.Throws<InvalidOperationException>(() => sighasher.Compute(0, 0x03));
        Assert.Equal(32, sighasher.Compute(0, 0x02).Length);
    }
}
