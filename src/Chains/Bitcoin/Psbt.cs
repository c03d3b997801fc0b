namespace Keystore.Chains.Bitcoin;

/// <summary>
/// A BIP174 (version 0) Partially Signed Bitcoin Transaction. Parsing is strict: magic, a global
/// unsigned transaction with empty scriptSigs, exactly one map per input and per output, unique
/// keys, and the key/value shapes of every known key type (BIP174, BIP371) checked. Anything else
/// is a <see cref="FormatException"/>. Unknown key types are preserved verbatim.
/// </summary>
public sealed class Psbt
{
    private static ReadOnlySpan<byte> Magic => [0x70, 0x73, 0x62, 0x74, 0xff];

    // Global key types.
    public const byte GlobalUnsignedTx = 0x00;
    public const byte GlobalXpub = 0x01;
    public const byte GlobalVersion = 0xfb;

    // Input key types.
    public const byte InNonWitnessUtxo = 0x00;
    public const byte InWitnessUtxo = 0x01;
    public const byte InPartialSig = 0x02;
    public const byte InSighashType = 0x03;
    public const byte InRedeemScript = 0x04;
    public const byte InWitnessScript = 0x05;
    public const byte InBip32Derivation = 0x06;
    public const byte InFinalScriptSig = 0x07;
    public const byte InFinalScriptWitness = 0x08;
    public const byte InTapKeySig = 0x13;
    public const byte InTapScriptSig = 0x14;
    public const byte InTapLeafScript = 0x15;
    public const byte InTapBip32Derivation = 0x16;
    public const byte InTapInternalKey = 0x17;
    public const byte InTapMerkleRoot = 0x18;

    // Output key types.
    public const byte OutRedeemScript = 0x00;
    public const byte OutWitnessScript = 0x01;
    public const byte OutBip32Derivation = 0x02;
    public const byte OutTapInternalKey = 0x05;
    public const byte OutTapTree = 0x06;
    public const byte OutTapBip32Derivation = 0x07;

    private Psbt(PsbtMap global, BitcoinTransaction tx, List<PsbtMap> inputs, List<PsbtMap> outputs)
    {
        Global = global;
        UnsignedTransaction = tx;
        Inputs = inputs;
        Outputs = outputs;
    }

    public PsbtMap Global { get; }
    public BitcoinTransaction UnsignedTransaction { get; }
    public IReadOnlyList<PsbtMap> Inputs { get; }
    public IReadOnlyList<PsbtMap> Outputs { get; }

    /// <summary>The input's <c>PSBT_IN_WITNESS_UTXO</c>, if present.</summary>
    public TxOut? WitnessUtxo(int inputIndex) =>
        Inputs[inputIndex].Get(InWitnessUtxo) is { } value ? TxOut.Parse(value) : null;

    public static Psbt Parse(ReadOnlySpan<byte> data)
    {
        if (data.Length < Magic.Length || !data[..Magic.Length].SequenceEqual(Magic))
            throw new FormatException("Missing the PSBT magic bytes.");
        var reader = new BitcoinReader(data[Magic.Length..]);

        var global = ReadMap(ref reader, ValidateGlobal);
        var txBytes = global.Get(GlobalUnsignedTx) ?? throw new FormatException("Missing the global unsigned transaction.");
        var tx = BitcoinTransaction.Parse(txBytes);
        if (tx.Inputs.Any(i => i.ScriptSig.Length != 0))
            throw new FormatException("The unsigned transaction has a non-empty scriptSig.");
        if (global.Get(GlobalVersion) is { } version && version.AsSpan().ContainsAnyExcept((byte)0))
            throw new FormatException("Only PSBT version 0 is supported.");

        var inputs = new List<PsbtMap>(tx.Inputs.Count);
        for (int i = 0; i < tx.Inputs.Count; i++) inputs.Add(ReadMap(ref reader, ValidateInput));
        var outputs = new List<PsbtMap>(tx.Outputs.Count);
        for (int i = 0; i < tx.Outputs.Count; i++) outputs.Add(ReadMap(ref reader, ValidateOutput));
        if (reader.Remaining != 0) throw new FormatException("Trailing bytes after the last output map.");
        return new Psbt(global, tx, inputs, outputs);
    }

    public byte[] Serialize()
    {
        var writer = new BitcoinWriter(1024);
        writer.WriteBytes(Magic);
        WriteMap(writer, Global);
        foreach (var map in Inputs) WriteMap(writer, map);
        foreach (var map in Outputs) WriteMap(writer, map);
        return writer.ToArray();
    }

    private delegate void Validator(PsbtEntry entry);

    private static PsbtMap ReadMap(ref BitcoinReader reader, Validator validate)
    {
        var map = new PsbtMap();
        while (true)
        {
            if (reader.Remaining == 0) throw new FormatException("A PSBT map is not terminated.");
            int keyLength = reader.ReadLength();
            if (keyLength == 0) return map;
            var key = reader.ReadBytes(keyLength).ToArray();
            var value = reader.ReadVarBytes().ToArray();
            var entry = new PsbtEntry(key, value);
            validate(entry);
            map.Add(entry);
        }
    }

    private static void WriteMap(BitcoinWriter writer, PsbtMap map)
    {
        foreach (var entry in map.Entries)
        {
            writer.WriteVarBytes(entry.Key);
            writer.WriteVarBytes(entry.Value);
        }
        writer.WriteByte(0x00);
    }

    private static void ValidateGlobal(PsbtEntry e)
    {
        switch (e.KeyType)
        {
            case GlobalUnsignedTx: KeyData(e, 0); break;
            case GlobalXpub: KeyData(e, 78); if (e.Value.Length % 4 != 0 || e.Value.Length == 0) Bad(e); break;
            case GlobalVersion: KeyData(e, 0); if (e.Value.Length != 4) Bad(e); break;
        }
    }

    private static void ValidateInput(PsbtEntry e)
    {
        switch (e.KeyType)
        {
            case InNonWitnessUtxo:
                KeyData(e, 0);
                break;
            case InWitnessUtxo:
                KeyData(e, 0);
                TxOut.Parse(e.Value);
                break;
            case InPartialSig:
                PublicKeyData(e);
                break;
            case InSighashType:
                KeyData(e, 0);
                if (e.Value.Length != 4) Bad(e);
                break;
            case InRedeemScript or InWitnessScript or InFinalScriptSig or InFinalScriptWitness:
                KeyData(e, 0);
                break;
            case InBip32Derivation:
                PublicKeyData(e);
                if (e.Value.Length % 4 != 0 || e.Value.Length == 0) Bad(e);
                break;
            case 0x09 or 0x0b: KeyData(e, 20); break; // RIPEMD160, HASH160 preimages
            case 0x0a or 0x0c: KeyData(e, 32); break; // SHA256, HASH256 preimages
            case InTapKeySig:
                KeyData(e, 0);
                if (e.Value.Length is not (64 or 65)) Bad(e);
                break;
            case InTapScriptSig:
                KeyData(e, 64);
                if (e.Value.Length is not (64 or 65)) Bad(e);
                break;
            case InTapLeafScript:
                if (e.KeyData.Length < 33 || (e.KeyData.Length - 33) % 32 != 0 || e.Value.Length < 1) Bad(e);
                break;
            case InTapBip32Derivation:
                KeyData(e, 32);
                break;
            case InTapInternalKey or InTapMerkleRoot:
                KeyData(e, 0);
                if (e.Value.Length != 32) Bad(e);
                break;
        }
    }

    private static void ValidateOutput(PsbtEntry e)
    {
        switch (e.KeyType)
        {
            case OutRedeemScript or OutWitnessScript or OutTapTree: KeyData(e, 0); break;
            case OutBip32Derivation:
                PublicKeyData(e);
                if (e.Value.Length % 4 != 0 || e.Value.Length == 0) Bad(e);
                break;
            case OutTapInternalKey:
                KeyData(e, 0);
                if (e.Value.Length != 32) Bad(e);
                break;
            case OutTapBip32Derivation: KeyData(e, 32); break;
        }
    }

    private static void KeyData(PsbtEntry e, int length)
    {
        if (e.KeyData.Length != length) Bad(e);
    }

    private static void PublicKeyData(PsbtEntry e)
    {
        if (e.KeyData.Length is not (33 or 65) || !Secp256k1.IsValidPublicKey(e.KeyData)) Bad(e);
    }

    private static void Bad(PsbtEntry e) => throw new FormatException($"Malformed PSBT entry of key type 0x{e.Key[0]:x2}.");
}
