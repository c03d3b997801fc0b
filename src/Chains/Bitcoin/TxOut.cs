namespace Keystore.Chains.Bitcoin;

/// <summary>A transaction output: amount in satoshis and the locking script.</summary>
public sealed record TxOut(long Amount, byte[] ScriptPubKey)
{
    /// <summary>Parses the serialized form (8-byte amount, CompactSize script), the whole of <paramref name="data"/>.</summary>
    public static TxOut Parse(ReadOnlySpan<byte> data)
    {
        var reader = new BitcoinReader(data);
        var output = Read(ref reader);
        if (reader.Remaining != 0) throw new FormatException("Trailing bytes after a transaction output.");
        return output;
    }

    internal static TxOut Read(ref BitcoinReader reader)
    {
        long amount = reader.ReadInt64();
        // MAX_MONEY: 21 million BTC.
        if (amount is < 0 or > 2_100_000_000_000_000) throw new FormatException("An output amount is out of range.");
        return new TxOut(amount, reader.ReadVarBytes().ToArray());
    }

    internal void Write(BitcoinWriter writer)
    {
        writer.WriteInt64(Amount);
        writer.WriteVarBytes(ScriptPubKey);
    }
}
