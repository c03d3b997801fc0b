using System.Buffers.Binary;
using Keystore.Chains.Bitcoin;
using NBitcoin;
using static Keystore.Chains.Tests.TestSupport;

namespace Keystore.Chains.Tests;

/// <summary>Key-path signing of PSBTs built here byte by byte (so malformed ones can be built too), and what it must refuse.</summary>
public class PsbtSigningTests
{
    private const string PrivateKey = "b7e151628aed2a6abf7158809cf4f3c762e7160f38b4da56a784d9045190cfef";
    private static readonly BitcoinSigner Signer = new(BitcoinNetwork.Mainnet);

    /// <summary>A PSBT with one input per (script, amount, extra input entries) and one output per input.</summary>
    internal static byte[] BuildPsbt(params (byte[]? Script, long Amount, (byte[] Key, byte[] Value)[] Extra)[] inputs)
    {
        var tx = Network.Main.CreateTransaction();
        tx.Version = 2;
        for (int i = 0; i < inputs.Length; i++)
        {
            tx.Inputs.Add(new TxIn(new OutPoint(new uint256(Enumerable.Repeat((byte)(i + 1), 32).ToArray()), (uint)i)) { Sequence = 0xfffffffd });
            tx.Outputs.Add(new TxOut(Money.Satoshis(1000 + i), new Script([0x51, 0x20, .. new byte[32]])));
        }
        return BuildPsbt(tx, [.. inputs.Select(input => Entries(input.Script, input.Amount, input.Extra))], tx.Outputs.Count);
    }

    /// <summary>Raw PSBT bytes: magic, the global unsigned transaction, then the given input maps and empty output maps.</summary>
    internal static byte[] BuildPsbt(Transaction tx, (byte[] Key, byte[] Value)[][] inputMaps, int outputMaps)
    {
        var w = new MemoryStream();
        w.Write([0x70, 0x73, 0x62, 0x74, 0xff]);
        WriteVarBytes(w, [0x00]);
        WriteVarBytes(w, tx.ToBytes());
        w.WriteByte(0);
        foreach (var map in inputMaps)
        {
            foreach (var (k, v) in map)
            {
                WriteVarBytes(w, k);
                WriteVarBytes(w, v);
            }
            w.WriteByte(0);
        }
        for (int i = 0; i < outputMaps; i++) w.WriteByte(0);
        return w.ToArray();
    }

    internal static (byte[] Key, byte[] Value)[] Entries(byte[]? script, long amount, params (byte[] Key, byte[] Value)[] extra) =>
        script is null ? extra : [([0x01], new TxOut(Money.Satoshis(amount), new Script(script)).ToBytes()), .. extra];

    private static void WriteVarBytes(MemoryStream w, byte[] bytes)
    {
        if (bytes.Length < 0xfd)
        {
            w.WriteByte((byte)bytes.Length);
        }
        else
        {
            w.WriteByte(0xfd);
            w.Write([(byte)bytes.Length, (byte)(bytes.Length >> 8)]);
        }
        w.Write(bytes);
    }

    internal static (byte[] Key, byte[] Value) SighashType(uint type)
    {
        var value = new byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(value, type);
        return ([0x03], value);
    }

    private static TaprootSigning Sign(SigningKey key, byte[] psbt, params TaprootSigHash[] allowed) =>
        Signer.SignInputs(key, Signer.ParsePsbt(psbt), allowed.Length == 0 ? null : allowed);

    private static string Problem(SigningKey key, byte[] psbt, params TaprootSigHash[] allowed) =>
        Assert.Throws<ChainRequestException>(() => Sign(key, psbt, allowed)).Slug();

    private static byte[] Sighash(Transaction tx, TxOut[] spent, int index, TaprootSigHash type) =>
        tx.GetSignatureHashTaproot(tx.PrecomputeTransactionData(spent), new TaprootExecutionData(index) { SigHash = type }).ToBytes();

    private static readonly TaprootSigHash SingleAnyoneCanPay = TaprootSigHash.Single | TaprootSigHash.AnyoneCanPay;

    [Fact]
    public void Signs_our_inputs_only_and_the_signatures_verify()
    {
        using var key = Keys.Secp256k1Key(PrivateKey);
        var ours = BitcoinSigner.OutputScript(key.PublicKey);
        byte[] foreign = [0x51, 0x20, .. Enumerable.Repeat((byte)0x11, 32)];
        var unknown = (new byte[] { 0xf0, 0x01 }, new byte[] { 0xaa });
        var psbt = BuildPsbt((ours, 5000, []), (foreign, 6000, [unknown]), (ours, 7000, [SighashType(0x83)]));
        var result = Sign(key, psbt, TaprootSigHash.Default, SingleAnyoneCanPay);
        Assert.Equal([0, 2], result.SignedInputs);

        // Read back from the bytes NBitcoin writes, not from the object signed.
        var signed = Signer.ParsePsbt(result.Psbt.ToBytes());
        var tx = signed.GetGlobalTransaction();
        TxOut[] spent = [new(Money.Satoshis(5000), new Script(ours)), new(Money.Satoshis(6000), new Script(foreign)), new(Money.Satoshis(7000), new Script(ours))];
        var outputKey = BitcoinSigner.OutputKey(key.PublicKey);

        var sig0 = signed.Inputs[0].TaprootKeySignature!.ToBytes();
        Assert.Equal(64, sig0.Length);
        Assert.True(Secp256k1.VerifySchnorr(outputKey, Sighash(tx, spent, 0, TaprootSigHash.Default), sig0));
        var sig2 = signed.Inputs[2].TaprootKeySignature!.ToBytes();
        Assert.Equal(65, sig2.Length);
        Assert.Equal(0x83, sig2[64]);
        Assert.True(Secp256k1.VerifySchnorr(outputKey, Sighash(tx, spent, 2, SingleAnyoneCanPay), sig2[..64]));
        Assert.Equal(key.PublicKey[1..].ToArray(), signed.Inputs[0].TaprootInternalKey!.ToBytes());

        // The foreign input keeps exactly its entries, including the unknown one.
        Assert.Null(signed.Inputs[1].TaprootKeySignature);
        Assert.Null(signed.Inputs[1].TaprootInternalKey);
        Assert.Equal([0xaa], Assert.Single(signed.Inputs[1].Unknown).Value);
    }

    [Fact]
    public void Anyone_can_pay_needs_only_its_own_utxo()
    {
        using var key = Keys.Secp256k1Key(PrivateKey);
        var ours = BitcoinSigner.OutputScript(key.PublicKey);
        // Input 1 has no witness_utxo: fine for ANYONECANPAY, fatal for SIGHASH_DEFAULT.
        var acp = BuildPsbt((ours, 5000, [SighashType(0x81)]), (null, 0, []));
        var signed = Sign(key, acp, TaprootSigHash.All | TaprootSigHash.AnyoneCanPay);
        Assert.Equal([0], signed.SignedInputs);
        var tx = signed.Psbt.GetGlobalTransaction();
        // Whatever stands for the unknown output, the ANYONECANPAY sighash is the same.
        var sighash = Sighash(tx, [new(Money.Satoshis(5000), new Script(ours)), new(Money.Satoshis(77), new Script([0x6a]))], 0, TaprootSigHash.All | TaprootSigHash.AnyoneCanPay);
        Assert.True(Secp256k1.VerifySchnorr(BitcoinSigner.OutputKey(key.PublicKey), sighash, signed.Psbt.Inputs[0].TaprootKeySignature!.ToBytes()[..64]));
        var all = BuildPsbt((ours, 5000, []), (null, 0, []));
        Assert.Equal("invalid-psbt", Problem(key, all));
    }

    /// <summary>Someone else's input carries only non_witness_utxo: its amount and script come from that transaction.</summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Non_witness_utxo_supplies_the_spent_output(bool witnessSerialized)
    {
        using var key = Keys.Secp256k1Key(PrivateKey);
        var ours = BitcoinSigner.OutputScript(key.PublicKey);
        var p2pkh = new Script([0x76, 0xa9, 0x14, .. new byte[20], 0x88, 0xac]);
        var previous = Network.Main.CreateTransaction();
        previous.Inputs.Add(new TxIn(new OutPoint(uint256.One, 0), new Script([0x51])));
        previous.Outputs.Add(new TxOut(Money.Satoshis(111), new Script([0x6a])));
        previous.Outputs.Add(new TxOut(Money.Satoshis(4242), p2pkh));
        if (witnessSerialized) previous.Inputs[0].WitScript = new WitScript([new byte[] { 0xab, 0xcd }]);
        byte[] previousBytes = previous.ToBytes();
        Assert.Equal(witnessSerialized, previousBytes[4] == 0x00);

        var tx = Network.Main.CreateTransaction();
        tx.Version = 2;
        tx.Inputs.Add(new TxIn(new OutPoint(new uint256(Enumerable.Repeat((byte)9, 32).ToArray()), 0)));
        tx.Inputs.Add(new TxIn(new OutPoint(previous.GetHash(), 1)));
        tx.Outputs.Add(new TxOut(Money.Satoshis(3000), new Script(ours)));
        var psbt = BuildPsbt(tx, [Entries(ours, 5000), [([0x00], previousBytes)]], 1);

        var signed = Sign(key, psbt);
        var sighash = Sighash(tx, [new(Money.Satoshis(5000), new Script(ours)), new(Money.Satoshis(4242), p2pkh)], 0, TaprootSigHash.Default);
        Assert.True(Secp256k1.VerifySchnorr(BitcoinSigner.OutputKey(key.PublicKey), sighash, signed.Psbt.Inputs[0].TaprootKeySignature!.ToBytes()));
    }

    [Fact]
    public void Non_witness_utxo_of_another_transaction_is_rejected()
    {
        using var key = Keys.Secp256k1Key(PrivateKey);
        var ours = BitcoinSigner.OutputScript(key.PublicKey);
        var previous = Network.Main.CreateTransaction();
        previous.Inputs.Add(new TxIn(new OutPoint(uint256.One, 0), new Script([0x51])));
        previous.Outputs.Add(new TxOut(Money.Satoshis(4242), new Script([0x6a])));
        var wrong = previous.GetHash().ToBytes();
        wrong[0] ^= 1;
        var tx = Network.Main.CreateTransaction();
        tx.Inputs.Add(new TxIn(new OutPoint(new uint256(Enumerable.Repeat((byte)9, 32).ToArray()), 0)));
        tx.Inputs.Add(new TxIn(new OutPoint(new uint256(wrong), 0)));
        tx.Outputs.Add(new TxOut(Money.Satoshis(3000), new Script(ours)));
        Assert.Equal("invalid-psbt", Problem(key, BuildPsbt(tx, [Entries(ours, 5000), [([0x00], previous.ToBytes())]], 1)));
    }

    public static TheoryData<string, string, byte[]> Rejections()
    {
        using var key = Keys.Secp256k1Key(PrivateKey);
        var ours = BitcoinSigner.OutputScript(key.PublicKey);
        byte[] foreign = [0x51, 0x20, .. Enumerable.Repeat((byte)0x11, 32)];
        var good = BuildPsbt((ours, 5000, []));
        var twoInputs = BuildPsbt((ours, 5000, []), (ours, 6000, []));
        return new TheoryData<string, string, byte[]>
        {
            { "case 0", "invalid-psbt", good[..^1] },
            { "case 1", "invalid-psbt", good[..40] },
            { "case 2", "invalid-psbt", [.. good, 0] },
            { "case 3", "invalid-psbt", good[5..] },
            { "case 4", "invalid-psbt", [] },
            { "case 5", "no-input-to-sign", BuildPsbt((foreign, 5000, [])) },
            { "case 6", "invalid-psbt", BuildPsbt((ours, 5000, [SighashType(0x04)])) },
            { "case 7", "invalid-psbt", BuildPsbt((ours, 5000, [SighashType(0x101)])) },
            { "case 8", "invalid-psbt", BuildPsbt((ours, 5000, [([0x17], new byte[32])])) },
            { "case 9", "no-input-to-sign", BuildPsbt((ours, 5000, [([0x08], new byte[] { 1, 0 })])) },
            { "case 10", "invalid-psbt", BuildPsbt((ours, 5000, [([0x13], new byte[63])])) },
            { "case 11", "invalid-psbt", BuildPsbt((ours, 5000, [([0x01], new byte[] { 1 })])) },
            { "case 12", "invalid-psbt", BuildPsbt((ours, -1, [])) },
            // Two entries with the same key: unknown ones, then known ones.
            { "case 13", "invalid-psbt", BuildPsbt((ours, 5000, [([0xf0], [1]), ([0xf0], [2])])) },
            { "case 14", "invalid-psbt", BuildPsbt((ours, 5000, [SighashType(0x01), SighashType(0x01)])) },
            { "case 15", "invalid-psbt", BuildPsbt((ours, 5000, [([0x17], key.PublicKey[1..].ToArray()), ([0x17], key.PublicKey[1..].ToArray())])) },
            // One input map too few (the second input's map missing): the output map is read in its place.
            { "case 16", "invalid-psbt", twoInputs[..^1] },
            // A global version other than 0 (PSBT v2 is BIP370).
            { "case 17", "invalid-psbt", [.. good[..5], 0x01, 0xfb, 0x04, 0x02, 0x00, 0x00, 0x00, .. good[5..]] },
        };
    }

    [Theory]
    [MemberData(nameof(Rejections))]
    public void Rejects_bad_psbts(string name, string problem, byte[] psbt)
    {
        using var key = Keys.Secp256k1Key(PrivateKey);
        var ex = Record.Exception(() => Sign(key, psbt));
        Assert.True(ex is ChainRequestException refusal && refusal.Slug() == problem, $"{name}: {ex?.Message ?? "signed"}");
    }

    /// <summary>
    /// NONE commits to no output and ANYONECANPAY to no other input: such a signature lets whoever holds the PSBT
    /// redirect the money. The signer gives one only when the caller allows the type; by default DEFAULT and ALL.
    /// </summary>
    [Theory]
    [InlineData(0x02, "NONE")]
    [InlineData(0x03, "SINGLE")]
    [InlineData(0x81, "ALL|ANYONECANPAY")]
    [InlineData(0x82, "NONE|ANYONECANPAY")]
    [InlineData(0x83, "SINGLE|ANYONECANPAY")]
    public void Weak_sighash_types_are_signed_only_when_allowed(uint type, string name)
    {
        using var key = Keys.Secp256k1Key(PrivateKey);
        var ours = BitcoinSigner.OutputScript(key.PublicKey);
        var psbt = BuildPsbt((ours, 5000, [SighashType(type)]));

        var refused = Assert.Throws<ChainRequestException>(() => Sign(key, psbt));
        Assert.Equal("sighash-not-allowed", refused.Slug());
        Assert.Contains(name, refused.Message);
        Assert.Equal("sighash-not-allowed", Problem(key, psbt, TaprootSigHash.Default, TaprootSigHash.All));

        Assert.True(TaprootSighashNames.TryParse(name, out var allowed));
        var signed = Sign(key, psbt, allowed).Psbt;
        var sig = signed.Inputs[0].TaprootKeySignature!.ToBytes();
        Assert.Equal((byte)type, sig[64]);
        var sighash = Sighash(signed.GetGlobalTransaction(), [new(Money.Satoshis(5000), new Script(ours))], 0, (TaprootSigHash)type);
        Assert.True(Secp256k1.VerifySchnorr(BitcoinSigner.OutputKey(key.PublicKey), sighash, sig[..64]));
    }

    [Fact]
    public void Default_and_all_are_signed_by_default_and_a_list_narrows_them()
    {
        using var key = Keys.Secp256k1Key(PrivateKey);
        var ours = BitcoinSigner.OutputScript(key.PublicKey);
        var psbt = BuildPsbt((ours, 5000, []), (ours, 6000, [SighashType(0x01)]));
        Assert.Equal([0, 1], Sign(key, psbt).SignedInputs);
        // A caller that wants only SIGHASH_DEFAULT gets input 1 (SIGHASH_ALL) refused, and nothing signed.
        var parsed = Signer.ParsePsbt(psbt);
        Assert.Equal("sighash-not-allowed", Assert.Throws<ChainRequestException>(() => Signer.SignInputs(key, parsed, [TaprootSigHash.Default])).Slug());
        Assert.All(parsed.Inputs, i => Assert.Null(i.TaprootKeySignature));
    }

    [Fact]
    public void Sighash_single_without_matching_output_is_rejected()
    {
        using var key = Keys.Secp256k1Key(PrivateKey);
        var ours = BitcoinSigner.OutputScript(key.PublicKey);
        var tx = Network.Main.CreateTransaction();
        tx.Inputs.Add(new TxIn(new OutPoint(uint256.One, 0)));
        tx.Inputs.Add(new TxIn(new OutPoint(uint256.One, 1)));
        tx.Outputs.Add(new TxOut(Money.Satoshis(1), new Script(ours)));
        var psbt = BuildPsbt(tx, [Entries(ours, 1), Entries(ours, 2, SighashType(0x03))], 1);
        var parsed = Signer.ParsePsbt(psbt);
        Assert.Equal("invalid-psbt", Assert.Throws<ChainRequestException>(() => Signer.SignInputs(key, parsed, [TaprootSigHash.Default, TaprootSigHash.Single])).Slug());
        Assert.All(parsed.Inputs, i => Assert.Null(i.TaprootKeySignature));
    }

    [Fact]
    public void A_psbt_whose_inputs_are_all_signed_finalizes_into_a_transaction()
    {
        using var key = Keys.Secp256k1Key(PrivateKey);
        var ours = BitcoinSigner.OutputScript(key.PublicKey);
        var signed = Sign(key, BuildPsbt((ours, 5000, []), (ours, 6000, [SighashType(0x01)]))).Psbt;
        var signature = signed.Inputs[0].TaprootKeySignature!.ToBytes();
        var tx = BitcoinSigner.FinalizeTransaction(signed);
        Assert.Equal(2, tx.Inputs.Count);
        Assert.Equal(signature, Assert.Single(tx.Inputs[0].WitScript.Pushes));
        Assert.Equal(65, Assert.Single(tx.Inputs[1].WitScript.Pushes).Length);

        byte[] foreign = [0x51, 0x20, .. Enumerable.Repeat((byte)0x11, 32)];
        var half = Sign(key, BuildPsbt((ours, 5000, []), (foreign, 6000, []))).Psbt;
        Assert.Equal("invalid-psbt", Assert.Throws<ChainRequestException>(() => BitcoinSigner.FinalizeTransaction(half)).Slug());
    }
}
