using System.Security.Cryptography;

namespace Keystore.Chains.Bitcoin;

/// <summary>
/// A transaction in the legacy (non-witness) serialization, the form BIP174 requires for a PSBT's
/// unsigned transaction. With zero inputs the witness marker would be ambiguous; like Bitcoin
/// Core's PSBT reader this always reads the non-witness form.
/// </summary>
public sealed record BitcoinTransaction(int Version, IReadOnlyList<TxIn> Inputs, IReadOnlyList<TxOut> Outputs, uint LockTime)
{
    /// <summary>Parses exactly the whole of <paramref name="data"/>; <see cref="FormatException"/> otherwise.</summary>
    public static BitcoinTransaction Parse(ReadOnlySpan<byte> data)
    {
        var reader = new BitcoinReader(data);
        int version = (int)reader.ReadUInt32();
        // Each input takes at least 41 bytes and each output 9, so counts are bounded by the data.
        int inputCount = reader.ReadLength();
        var inputs = new List<TxIn>(inputCount);
        for (int i = 0; i < inputCount; i++) inputs.Add(TxIn.Read(ref reader));
        int outputCount = reader.ReadLength();
        var outputs = new List<TxOut>(outputCount);
        for (int i = 0; i < outputCount; i++) outputs.Add(TxOut.Read(ref reader));
        uint lockTime = reader.ReadUInt32();
        if (reader.Remaining != 0) throw new FormatException("Trailing bytes after the transaction.");
        return new BitcoinTransaction(version, inputs, outputs, lockTime);
    }

    /// <summary>
    /// Parses a complete transaction in either serialization (BIP144 witness form or legacy), as
    /// found in <c>PSBT_IN_NON_WITNESS_UTXO</c>. Witness data is read and dropped: only the txid
    /// and the outputs matter to a spender.
    /// </summary>
    public static BitcoinTransaction ParseAnyFormat(ReadOnlySpan<byte> data)
    {
        // A real transaction has inputs, so 0x00 after the version can only be the witness marker.
        if (data.Length < 6 || data[4] != 0x00) return Parse(data);
        if (data[5] == 0x00) throw new FormatException("Invalid witness flag.");
        var reader = new BitcoinReader(data);
        int version = (int)reader.ReadUInt32();
        reader.ReadBytes(2);
        int inputCount = reader.ReadLength();
        var inputs = new List<TxIn>(inputCount);
        for (int i = 0; i < inputCount; i++) inputs.Add(TxIn.Read(ref reader));
        int outputCount = reader.ReadLength();
        var outputs = new List<TxOut>(outputCount);
        for (int i = 0; i < outputCount; i++) outputs.Add(TxOut.Read(ref reader));
        for (int i = 0; i < inputCount; i++)
        {
            int items = reader.ReadLength();
            for (int j = 0; j < items; j++) reader.ReadVarBytes();
        }
        uint lockTime = reader.ReadUInt32();
        if (reader.Remaining != 0) throw new FormatException("Trailing bytes after the transaction.");
        return new BitcoinTransaction(version, inputs, outputs, lockTime);
    }

    /// <summary>The txid in internal byte order (as outpoints store it): SHA256d of the legacy serialization.</summary>
    public byte[] TxId() => SHA256.HashData(SHA256.HashData(Serialize()));

    public byte[] Serialize()
    {
        var writer = new BitcoinWriter();
        writer.WriteUInt32((uint)Version);
        writer.WriteCompactSize((ulong)Inputs.Count);
        foreach (var input in Inputs) input.Write(writer);
        writer.WriteCompactSize((ulong)Outputs.Count);
        foreach (var output in Outputs) output.Write(writer);
        writer.WriteUInt32(LockTime);
        return writer.ToArray();
    }
}
