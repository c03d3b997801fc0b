namespace Keystore.Chains.Solana;

/// <summary>
/// A parsed Solana transaction message (legacy or v0), enough to know who must sign it, with the serialized bytes
/// every signature covers. Parsing is strict and checks the message is well formed (indices in range, nothing
/// trailing, no key twice) the way the runtime's sanitizer does, so a signature is never produced over bytes the
/// network would reject or read differently.
/// </summary>
public sealed class SolanaMessage
{
    private readonly ReadOnlyMemory<byte> _bytes;

    private SolanaMessage(ReadOnlyMemory<byte> bytes, int? version, int requiredSignatures, int readonlySigned, int readonlyUnsigned,
        IReadOnlyList<byte[]> accountKeys, byte[] recentBlockhash, int instructionCount, int lookupTableCount)
    {
        _bytes = bytes;
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

    /// <summary>The serialized message: what a signature covers.</summary>
    public ReadOnlySpan<byte> Bytes => _bytes.Span;

    /// <summary>The index among the required signers of <paramref name="publicKey"/>, or -1.</summary>
    public int SignerIndex(ReadOnlySpan<byte> publicKey)
    {
        for (int i = 0; i < NumRequiredSignatures; i++)
            if (AccountKeys[i].AsSpan().SequenceEqual(publicKey)) return i;
        return -1;
    }

    /// <summary>Parses exactly the whole of <paramref name="data"/> (copied); on any defect throws <see cref="ChainRequestException"/> with <paramref name="problem"/>.</summary>
    public static SolanaMessage Parse(ReadOnlySpan<byte> data, ChainError problem) => ParseOwned(data.ToArray(), problem);

    /// <summary>Parses a message that is the caller's own immutable buffer (the tail of a wire transaction), without copying it.</summary>
    internal static SolanaMessage ParseOwned(ReadOnlyMemory<byte> data, ChainError problem) =>
        TryParse(data, sanitize: true, out SolanaMessage? message, out string error)
            ? message : throw new ChainRequestException(problem, $"Malformed Solana message: {error}.");

    /// <summary>
    /// True when <paramref name="data"/> reads as a transaction message even without the sanitizer's last checks
    /// (a key twice, an empty lookup table): the wider net a "sign a message" route uses to refuse transactions.
    /// </summary>
    internal static bool LooksLikeMessage(ReadOnlySpan<byte> data) =>
        TryParse(data.ToArray(), sanitize: false, out _, out _);

    private static bool TryParse(ReadOnlyMemory<byte> memory, bool sanitize, out SolanaMessage message, out string error)
    {
        ReadOnlySpan<byte> data = memory.Span;
        message = null!;
        int offset = 0;
        bool Fail(string what, out string error)
        {
            error = what;
            return false;
        }

        if (data.Length == 0) return Fail("empty", out error);
        int? version = null;
        if ((data[0] & 0x80) != 0)
        {
            version = data[0] & 0x7f;
            if (version != 0) return Fail($"version {version} is not supported (legacy and v0 are)", out error);
            offset++;
        }
        if (data.Length - offset < 3) return Fail("truncated header", out error);
        int required = data[offset], readonlySigned = data[offset + 1], readonlyUnsigned = data[offset + 2];
        offset += 3;

        if (!CompactU16.TryRead(data, ref offset, out int keyCount)) return Fail("bad account key count", out error);
        // Account indices are one byte: more than 256 keys can never be addressed.
        if (keyCount > 256) return Fail("more than 256 account keys", out error);
        if (data.Length - offset < 32L * keyCount) return Fail("truncated account keys", out error);
        var keys = new byte[keyCount][];
        for (int i = 0; i < keyCount; i++, offset += 32) keys[i] = data.Slice(offset, 32).ToArray();

        if (required == 0) return Fail("no required signatures", out error);
        if (required > keyCount) return Fail("more required signatures than account keys", out error);
        // The fee payer (first signer) must be writable; read-only counts must fit their groups.
        if (readonlySigned >= required) return Fail("read-only signer count leaves no writable fee payer", out error);
        if (readonlyUnsigned > keyCount - required) return Fail("read-only unsigned count exceeds unsigned accounts", out error);
        if (sanitize && HasDuplicate(keys)) return Fail("duplicate account key", out error);

        if (data.Length - offset < 32) return Fail("truncated recent blockhash", out error);
        var blockhash = data.Slice(offset, 32).ToArray();
        offset += 32;

        if (!CompactU16.TryRead(data, ref offset, out int instructionCount)) return Fail("bad instruction count", out error);
        // Each instruction takes at least 3 bytes: a count beyond what is left is malformed, whatever it claims.
        if (instructionCount > (data.Length - offset) / 3) return Fail("truncated instruction", out error);
        var programs = new int[instructionCount];
        int highestAccount = -1;
        for (int i = 0; i < instructionCount; i++)
        {
            if (offset >= data.Length) return Fail("truncated instruction", out error);
            programs[i] = data[offset++];
            if (!CompactU16.TryRead(data, ref offset, out int accountCount) || data.Length - offset < accountCount) return Fail("truncated instruction accounts", out error);
            for (int a = 0; a < accountCount; a++) highestAccount = Math.Max(highestAccount, data[offset++]);
            if (!CompactU16.TryRead(data, ref offset, out int dataLength) || data.Length - offset < dataLength) return Fail("truncated instruction data", out error);
            offset += dataLength;
        }

        int lookupTables = 0, lookedUp = 0;
        if (version == 0)
        {
            if (!CompactU16.TryRead(data, ref offset, out lookupTables)) return Fail("bad address table lookup count", out error);
            for (int t = 0; t < lookupTables; t++)
            {
                if (data.Length - offset < 32) return Fail("truncated lookup table address", out error);
                offset += 32;
                int tableTotal = 0;
                for (int kind = 0; kind < 2; kind++)
                {
                    if (!CompactU16.TryRead(data, ref offset, out int count) || data.Length - offset < count) return Fail("truncated lookup table indexes", out error);
                    offset += count;
                    tableTotal += count;
                }
                if (sanitize && tableTotal == 0) return Fail("an address table lookup loads no accounts", out error);
                lookedUp += tableTotal;
            }
        }
        if (offset != data.Length) return Fail("trailing bytes", out error);

        int totalAccounts = keyCount + lookedUp;
        if (totalAccounts > 256) return Fail("more than 256 accounts", out error);
        // Program ids cannot come from lookup tables nor be the fee payer.
        foreach (int program in programs)
            if (program == 0 || program >= keyCount) return Fail("program id index out of range", out error);
        if (highestAccount >= totalAccounts) return Fail("account index out of range", out error);

        message = new SolanaMessage(memory, version, required, readonlySigned, readonlyUnsigned, keys, blockhash, instructionCount, lookupTables);
        error = "";
        return true;
    }

    private static bool HasDuplicate(byte[][] keys)
    {
        var seen = new HashSet<byte[]>(ByteArrayComparer.Instance);
        foreach (byte[] key in keys)
            if (!seen.Add(key)) return true;
        return false;
    }

    private sealed class ByteArrayComparer : IEqualityComparer<byte[]>
    {
        public static readonly ByteArrayComparer Instance = new();

        public bool Equals(byte[]? x, byte[]? y) => x.AsSpan().SequenceEqual(y);

        public int GetHashCode(byte[] key) => BitConverter.ToInt32(key, 0);
    }
}
