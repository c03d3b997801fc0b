using System.Security.Cryptography;

namespace Keystore.Chains.Bitcoin;

/// <summary>
/// BIP341 signature hash for key-path spends (ext_flag 0, no annex):
/// <c>tagged_hash("TapSighash", 0x00 ‖ SigMsg(hash_type, ext_flag))</c>. The transaction-wide
/// SHA256s are computed once per transaction, so signing n inputs is linear.
/// </summary>
public sealed class TaprootSighash
{
    public const byte Default = 0x00;
    public const byte All = 0x01;
    public const byte None = 0x02;
    public const byte Single = 0x03;
    public const byte AnyoneCanPay = 0x80;

    private readonly BitcoinTransaction _tx;
    private readonly IReadOnlyList<TxOut?> _spent;
    private readonly byte[] _shaPrevouts;
    private readonly byte[] _shaSequences;
    private readonly byte[] _shaOutputs;
    private readonly byte[]? _shaAmounts;
    private readonly byte[]? _shaScriptPubKeys;

    /// <param name="tx">The spending transaction.</param>
    /// <param name="spentOutputs">The output each input spends, in input order; null where unknown
    /// (then only SIGHASH_ANYONECANPAY is possible, and only for inputs whose output is known).</param>
    public TaprootSighash(BitcoinTransaction tx, IReadOnlyList<TxOut?> spentOutputs)
    {
        if (spentOutputs.Count != tx.Inputs.Count) throw new ArgumentException("One spent output per input.", nameof(spentOutputs));
        _tx = tx;
        _spent = spentOutputs;

        var prevouts = new BitcoinWriter();
        var sequences = new BitcoinWriter();
        foreach (var input in tx.Inputs)
        {
            input.WriteOutpoint(prevouts);
            sequences.WriteUInt32(input.Sequence);
        }
        _shaPrevouts = SHA256.HashData(prevouts.Written);
        _shaSequences = SHA256.HashData(sequences.Written);

        var outputs = new BitcoinWriter();
        foreach (var output in tx.Outputs) output.Write(outputs);
        _shaOutputs = SHA256.HashData(outputs.Written);

        if (spentOutputs.All(o => o is not null))
        {
            var amounts = new BitcoinWriter();
            var scripts = new BitcoinWriter();
            foreach (var output in spentOutputs)
            {
                amounts.WriteInt64(output!.Amount);
                scripts.WriteVarBytes(output.ScriptPubKey);
            }
            _shaAmounts = SHA256.HashData(amounts.Written);
            _shaScriptPubKeys = SHA256.HashData(scripts.Written);
        }
    }

    public static bool IsValidHashType(int hashType) => hashType is 0x00 or 0x01 or 0x02 or 0x03 or 0x81 or 0x82 or 0x83;

    /// <summary>The 32-byte sighash for input <paramref name="inputIndex"/>; <see cref="InvalidOperationException"/> when BIP341 says it cannot be computed.</summary>
    public byte[] Compute(int inputIndex, byte hashType)
    {
        var message = SignatureMessage(inputIndex, hashType);
        var result = new byte[32];
        TaggedHash.Compute("TapSighash", message, result);
        return result;
    }

    /// <summary>0x00 (epoch) ‖ SigMsg: what the tagged hash covers (exposed for the BIP341 vectors).</summary>
    internal byte[] SignatureMessage(int inputIndex, byte hashType)
    {
        if (!IsValidHashType(hashType)) throw new InvalidOperationException($"Sighash type 0x{hashType:x2} is not valid for Taproot.");
        if ((uint)inputIndex >= (uint)_tx.Inputs.Count) throw new ArgumentOutOfRangeException(nameof(inputIndex));
        int outputType = hashType == Default ? All : hashType & 0x03;
        bool anyoneCanPay = (hashType & AnyoneCanPay) != 0;

        var w = new BitcoinWriter(256);
        w.WriteByte(0x00); // epoch
        w.WriteByte(hashType);
        w.WriteUInt32((uint)_tx.Version);
        w.WriteUInt32(_tx.LockTime);
        if (!anyoneCanPay)
        {
            if (_shaAmounts is null || _shaScriptPubKeys is null)
                throw new InvalidOperationException("Every input's spent output (amount and script) is needed for this sighash type.");
            w.WriteBytes(_shaPrevouts);
            w.WriteBytes(_shaAmounts);
            w.WriteBytes(_shaScriptPubKeys);
            w.WriteBytes(_shaSequences);
        }
        if (outputType != None && outputType != Single) w.WriteBytes(_shaOutputs);
        w.WriteByte(0x00); // spend_type: ext_flag 0 (key path), no annex
        if (anyoneCanPay)
        {
            var input = _tx.Inputs[inputIndex];
            var spent = _spent[inputIndex] ?? throw new InvalidOperationException("The spent output of the input being signed is needed.");
            input.WriteOutpoint(w);
            w.WriteInt64(spent.Amount);
            w.WriteVarBytes(spent.ScriptPubKey);
            w.WriteUInt32(input.Sequence);
        }
        else
        {
            w.WriteUInt32((uint)inputIndex);
        }
        if (outputType == Single)
        {
            if (inputIndex >= _tx.Outputs.Count)
                throw new InvalidOperationException("SIGHASH_SINGLE needs an output with the same index as the input.");
            var single = new BitcoinWriter();
            _tx.Outputs[inputIndex].Write(single);
            w.WriteBytes(SHA256.HashData(single.Written));
        }
        return w.ToArray();
    }
}
