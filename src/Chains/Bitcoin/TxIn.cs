namespace Keystore.Chains.Bitcoin;

/// <summary>A transaction input: the outpoint it spends (txid in internal byte order, output index), scriptSig and sequence.</summary>
public sealed record TxIn(byte[] PrevTxId, uint PrevIndex, byte[] ScriptSig, uint Sequence)
{
    internal static TxIn Read(ref BitcoinReader reader) =>
        new(reader.ReadBytes(32).ToArray(), reader.ReadUInt32(), reader.ReadVarBytes().ToArray(), reader.ReadUInt32());

    internal void WriteOutpoint(BitcoinWriter writer)
    {
        writer.WriteBytes(PrevTxId);
        writer.WriteUInt32(PrevIndex);
    }

    internal void Write(BitcoinWriter writer)
    {
        WriteOutpoint(writer);
        writer.WriteVarBytes(ScriptSig);
        writer.WriteUInt32(Sequence);
    }
}
