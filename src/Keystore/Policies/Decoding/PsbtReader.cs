using System.Buffers.Binary;

namespace Keystore.Policies.Decoding;

/// <summary>
/// Reads a BIP174 (v0) PSBT for what the policy needs: the unsigned transaction's outputs and each input's
/// amount, from its <c>witness_utxo</c> or else its <c>non_witness_utxo</c> (the output its outpoint names), and whether
/// an input still to be signed asks for a sighash type that leaves outputs open.
/// </summary>
internal static class PsbtReader
{
    public sealed record Output(ulong Value, byte[] Script);

    /// <summary>
    /// The PSBT's outputs and its inputs' amounts (null where the PSBT does not say). <paramref name="OutputsLeftOpen"/>:
    /// an input not yet finalized asks (<c>PSBT_IN_SIGHASH_TYPE</c>) for SIGHASH_NONE or SIGHASH_SINGLE, with or without
    /// ANYONECANPAY, so a signature of it would not commit to every output (BIP341).
    /// </summary>
    public sealed record Contents(IReadOnlyList<Output> Outputs, IReadOnlyList<ulong?> InputAmounts, bool OutputsLeftOpen);

    /// <summary><c>"psbt"</c> ‖ 0xff.</summary>
    private static ReadOnlySpan<byte> Magic => [0x70, 0x73, 0x62, 0x74, 0xff];

    public static bool TryRead(ReadOnlySpan<byte> psbt, out Contents contents)
    {
        contents = null!;
        if (!psbt.StartsWith(Magic)) return false;
        int offset = Magic.Length;
        byte[]? unsignedTx = null;
        // Global map.
        while (true)
        {
            if (!TryReadPair(psbt, ref offset, out ReadOnlySpan<byte> key, out ReadOnlySpan<byte> value)) return false;
            if (key.IsEmpty) break;
            if (key.Length == 1 && key[0] == 0x00)
            {
                if (unsignedTx is not null) return false;
                unsignedTx = value.ToArray();
            }
        }
        if (unsignedTx is null || !TryReadTransaction(unsignedTx, out var prevouts, out List<Output> outputs, out _)) return false;

        var amounts = new ulong?[prevouts.Count];
        bool outputsLeftOpen = false;
        for (int i = 0; i < prevouts.Count; i++)
        {
            ulong? witnessAmount = null, legacyAmount = null;
            bool leavesOutputsOpen = false, finalized = false;
            while (true)
            {
                if (!TryReadPair(psbt, ref offset, out ReadOnlySpan<byte> key, out ReadOnlySpan<byte> value)) return false;
                if (key.IsEmpty) break;
                if (key.Length == 1 && key[0] == 0x01)
                {
                    if (value.Length < 9) return false;
                    witnessAmount = BinaryPrimitives.ReadUInt64LittleEndian(value);
                }
                else if (key.Length == 1 && key[0] == 0x00)
                {
                    if (!TryReadTransaction(value.ToArray(), out _, out List<Output> previous, out byte[] txid)) return false;
                    // Only an amount whose transaction hashes to the outpoint's txid is believed.
                    if (txid.AsSpan().SequenceEqual(prevouts[i].Txid) && prevouts[i].Index < previous.Count)
                        legacyAmount = previous[(int)prevouts[i].Index].Value;
                }
                // Any key of this type, even one with key data a strict reader would refuse: when in doubt, the input is open.
                else if (key[0] == 0x03)
                {
                    if (value.Length != 4) return false;
                    // The low two bits name the outputs signed: 1 ALL (0 is Taproot's DEFAULT, also all), 2 NONE, 3 SINGLE.
                    leavesOutputsOpen = (BinaryPrimitives.ReadUInt32LittleEndian(value) & 0x03) is 2 or 3;
                }
                // PSBT_IN_FINAL_SCRIPTSIG, PSBT_IN_FINAL_SCRIPTWITNESS: someone else's input, already signed; the signer leaves it.
                else if (key.Length == 1 && key[0] is 0x07 or 0x08) finalized = true;
            }
            amounts[i] = witnessAmount ?? legacyAmount;
            outputsLeftOpen |= leavesOutputsOpen && !finalized;
        }
        for (int i = 0; i < outputs.Count; i++)
        {
            while (true)
            {
                if (!TryReadPair(psbt, ref offset, out ReadOnlySpan<byte> key, out _)) return false;
                if (key.IsEmpty) break;
            }
        }
        if (offset != psbt.Length) return false;
        contents = new Contents(outputs, amounts, outputsLeftOpen);
        return true;
    }

    private static bool TryReadPair(ReadOnlySpan<byte> data, ref int offset, out ReadOnlySpan<byte> key, out ReadOnlySpan<byte> value)
    {
        key = value = default;
        if (!TryCompactSize(data, ref offset, out ulong keyLength)) return false;
        if (keyLength == 0) return true;
        if (keyLength > (ulong)(data.Length - offset)) return false;
        key = data.Slice(offset, (int)keyLength);
        offset += (int)keyLength;
        if (!TryCompactSize(data, ref offset, out ulong valueLength) || valueLength > (ulong)(data.Length - offset)) return false;
        value = data.Slice(offset, (int)valueLength);
        offset += (int)valueLength;
        return true;
    }

    private static bool TryReadTransaction(byte[] tx, out List<(byte[] Txid, uint Index)> inputs, out List<Output> outputs, out byte[] txid)
    {
        inputs = [];
        outputs = [];
        txid = [];
        ReadOnlySpan<byte> data = tx;
        int offset = 4; // version
        if (data.Length < 10) return false;
        bool segwit = data[4] == 0 && data[5] == 1;
        if (segwit) offset += 2;
        int start = offset;
        if (!TryCompactSize(data, ref offset, out ulong inputCount) || inputCount == 0 || inputCount > (ulong)data.Length / 41) return false;
        for (ulong i = 0; i < inputCount; i++)
        {
            if (data.Length - offset < 36) return false;
            inputs.Add((data.Slice(offset, 32).ToArray(), BinaryPrimitives.ReadUInt32LittleEndian(data[(offset + 32)..])));
            offset += 36;
            if (!TryCompactSize(data, ref offset, out ulong scriptLength) || scriptLength > (ulong)(data.Length - offset)) return false;
            offset += (int)scriptLength;
            if (data.Length - offset < 4) return false;
            offset += 4;
        }
        if (!TryCompactSize(data, ref offset, out ulong outputCount) || outputCount > (ulong)data.Length / 9) return false;
        for (ulong i = 0; i < outputCount; i++)
        {
            if (data.Length - offset < 8) return false;
            ulong value = BinaryPrimitives.ReadUInt64LittleEndian(data[offset..]);
            offset += 8;
            if (!TryCompactSize(data, ref offset, out ulong scriptLength) || scriptLength > (ulong)(data.Length - offset)) return false;
            outputs.Add(new Output(value, data.Slice(offset, (int)scriptLength).ToArray()));
            offset += (int)scriptLength;
        }
        int end = offset;
        if (segwit)
        {
            for (ulong i = 0; i < inputCount; i++)
            {
                if (!TryCompactSize(data, ref offset, out ulong items)) return false;
                for (ulong j = 0; j < items; j++)
                {
                    if (!TryCompactSize(data, ref offset, out ulong itemLength) || itemLength > (ulong)(data.Length - offset)) return false;
                    offset += (int)itemLength;
                }
            }
        }
        if (data.Length - offset != 4) return false;
        // The txid hashes the transaction without its witness: version, inputs and outputs, lock time.
        byte[] stripped = [.. data[..4], .. data[start..end], .. data[offset..]];
        txid = System.Security.Cryptography.SHA256.HashData(System.Security.Cryptography.SHA256.HashData(stripped));
        return true;
    }

    private static bool TryCompactSize(ReadOnlySpan<byte> data, ref int offset, out ulong value)
    {
        value = 0;
        if (offset >= data.Length) return false;
        byte first = data[offset++];
        int width = first switch { 0xfd => 2, 0xfe => 4, 0xff => 8, _ => 0 };
        if (width == 0)
        {
            value = first;
            return true;
        }
        if (data.Length - offset < width) return false;
        value = width switch
        {
            2 => BinaryPrimitives.ReadUInt16LittleEndian(data[offset..]),
            4 => BinaryPrimitives.ReadUInt32LittleEndian(data[offset..]),
            _ => BinaryPrimitives.ReadUInt64LittleEndian(data[offset..]),
        };
        offset += width;
        return true;
    }
}
