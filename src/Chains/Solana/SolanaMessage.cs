namespace Keystore.Chains.Solana;

/// <summary>
/// A parsed Solana transaction message (legacy or v0), enough to know who must sign it. Parsing is
/// strict and checks the message is well formed (indices in range, nothing trailing) the way the
/// runtime's sanitizer does, so a signature is never produced over bytes the network would reject
/// or read differently.
/// </summary>
public sealed class SolanaMessage
{
    private SolanaMessage(int? version, int requiredSignatures, int readonlySigned, int readonlyUnsigned,
        IReadOnlyList<byte[]> accountKeys, byte[] recentBlockhash, int instructionCount, int lookupTableCount)
    {
        Version = version;
        NumRequiredSignatures = requiredSignatures;
        NumReadonlySignedAccounts = readonlySigned;
        NumReadonlyUnsignedAccounts = readonlyUnsigned;
        AccountKeys = accountKeys;
        RecentBlockhash = recentBlockhash;
        InstructionCount = instructionCount;
        AddressTableLookupCount = lookupTableCount;
    }

    /// <summary>Null for a legacy message, 0 for v0.</summary>
    public int? Version { get; }
    public int NumRequiredSignatures { get; }
    public int NumReadonlySignedAccounts { get; }
    public int NumReadonlyUnsignedAccounts { get; }
    public IReadOnlyList<byte[]> AccountKeys { get; }
    public byte[] RecentBlockhash { get; }
    public int InstructionCount { get; }
    public int AddressTableLookupCount { get; }

    /// <summary>The index among the required signers of <paramref name="publicKey"/>, or -1.</summary>
    public int SignerIndex(ReadOnlySpan<byte> publicKey)
    {
        for (int i = 0; i < NumRequiredSignatures; i++)
            if (AccountKeys[i].AsSpan().SequenceEqual(publicKey)) return i;
        return -1;
    }

    /// <summary>Parses exactly the whole of <paramref name="data"/>; on any defect throws <see cref="ChainRequestException"/> with <paramref name="problem"/>.</summary>
    public static SolanaMessage Parse(ReadOnlySpan<byte> data, ChainError problem)
    {
        int offset = 0;
        ChainRequestException Fail(string what) => new(problem, $"Malformed Solana message: {what}.");

        if (data.Length == 0) throw Fail("empty");
        int? version = null;
        if ((data[0] & 0x80) != 0)
        {
            version = data[0] & 0x7f;
            if (version != 0) throw Fail($"version {version} is not supported (legacy and v0 are)");
            offset++;
        }
        if (data.Length - offset < 3) throw Fail("truncated header");
        int required = data[offset], readonlySigned = data[offset + 1], readonlyUnsigned = data[offset + 2];
        offset += 3;

        if (!CompactU16.TryRead(data, ref offset, out int keyCount)) throw Fail("bad account key count");
        // Account indices are one byte: more than 256 keys can never be addressed.
        if (keyCount > 256) throw Fail("more than 256 account keys");
        if (data.Length - offset < 32L * keyCount) throw Fail("truncated account keys");
        var keys = new byte[keyCount][];
        for (int i = 0; i < keyCount; i++, offset += 32) keys[i] = data.Slice(offset, 32).ToArray();

        if (required == 0) throw Fail("no required signatures");
        if (required > keyCount) throw Fail("more required signatures than account keys");
        // The fee payer (first signer) must be writable; read-only counts must fit their groups.
        if (readonlySigned >= required) throw Fail("read-only signer count leaves no writable fee payer");
        if (readonlyUnsigned > keyCount - required) throw Fail("read-only unsigned count exceeds unsigned accounts");
        var distinct = new HashSet<string>(StringComparer.Ordinal);
        foreach (var key in keys)
            if (!distinct.Add(Convert.ToBase64String(key))) throw Fail("duplicate account key");

        if (data.Length - offset < 32) throw Fail("truncated recent blockhash");
        var blockhash = data.Slice(offset, 32).ToArray();
        offset += 32;

        if (!CompactU16.TryRead(data, ref offset, out int instructionCount)) throw Fail("bad instruction count");
        var instructionIndices = new List<(int Program, List<int> Accounts)>(instructionCount);
        for (int i = 0; i < instructionCount; i++)
        {
            if (offset >= data.Length) throw Fail("truncated instruction");
            int program = data[offset++];
            if (!CompactU16.TryRead(data, ref offset, out int accountCount) || data.Length - offset < accountCount) throw Fail("truncated instruction accounts");
            var accounts = new List<int>(accountCount);
            for (int a = 0; a < accountCount; a++) accounts.Add(data[offset++]);
            if (!CompactU16.TryRead(data, ref offset, out int dataLength) || data.Length - offset < dataLength) throw Fail("truncated instruction data");
            offset += dataLength;
            instructionIndices.Add((program, accounts));
        }

        int lookupTables = 0, lookedUp = 0;
        if (version == 0)
        {
            if (!CompactU16.TryRead(data, ref offset, out lookupTables)) throw Fail("bad address table lookup count");
            for (int t = 0; t < lookupTables; t++)
            {
                if (data.Length - offset < 32) throw Fail("truncated lookup table address");
                offset += 32;
                int tableTotal = 0;
                for (int kind = 0; kind < 2; kind++)
                {
                    if (!CompactU16.TryRead(data, ref offset, out int count) || data.Length - offset < count) throw Fail("truncated lookup table indexes");
                    offset += count;
                    tableTotal += count;
                }
                if (tableTotal == 0) throw Fail("an address table lookup loads no accounts");
                lookedUp += tableTotal;
            }
        }
        if (offset != data.Length) throw Fail("trailing bytes");

        int totalAccounts = keyCount + lookedUp;
        if (totalAccounts > 256) throw Fail("more than 256 accounts");
        foreach (var (program, accounts) in instructionIndices)
        {
            // Program ids cannot come from lookup tables nor be the fee payer.
            if (program == 0 || program >= keyCount) throw Fail("program id index out of range");
            if (accounts.Any(a => a >= totalAccounts)) throw Fail("account index out of range");
        }

        return new SolanaMessage(version, required, readonlySigned, readonlyUnsigned, keys, blockhash, instructionCount, lookupTables);
    }
}
