using Keystore.Chains.Solana;

namespace Keystore.Policies.Decoding;

/// <summary>
/// Reads a Solana transaction message (legacy or v0) for what the policy needs: its static account keys, its
/// instructions and how many accounts come from address lookup tables (whose addresses are not in the message).
/// Strict like the runtime's sanitizer: every index in range, nothing trailing.
/// </summary>
internal static class SolanaMessageReader
{
    public sealed record Instruction(int ProgramIndex, int[] Accounts, byte[] Data);

    public sealed record Message(int? Version, int RequiredSignatures, byte[][] StaticKeys, int LookupAccounts, Instruction[] Instructions)
    {
        /// <summary>The address of account <paramref name="index"/>, or null when it comes from a lookup table.</summary>
        public byte[]? Key(int index) => index < StaticKeys.Length ? StaticKeys[index] : null;
    }

    public static bool TryRead(ReadOnlySpan<byte> data, out Message message)
    {
        message = null!;
        int offset = 0;
        int? version = null;
        if (data.Length == 0) return false;
        if ((data[0] & 0x80) != 0)
        {
            version = data[0] & 0x7f;
            if (version != 0) return false;
            offset++;
        }
        if (data.Length - offset < 3) return false;
        int required = data[offset], readonlySigned = data[offset + 1], readonlyUnsigned = data[offset + 2];
        offset += 3;
        if (!CompactU16.TryRead(data, ref offset, out int keyCount) || keyCount == 0 || (long)keyCount * 32 > data.Length - offset) return false;
        if (required == 0 || required > keyCount || readonlySigned >= required || readonlyUnsigned > keyCount - required) return false;
        var keys = new byte[keyCount][];
        for (int i = 0; i < keyCount; i++, offset += 32) keys[i] = data.Slice(offset, 32).ToArray();
        if (data.Length - offset < 32) return false;
        offset += 32; // recent blockhash
        if (!CompactU16.TryRead(data, ref offset, out int instructionCount)) return false;
        var instructions = new Instruction[instructionCount];
        for (int i = 0; i < instructionCount; i++)
        {
            if (offset >= data.Length) return false;
            int program = data[offset++];
            if (!CompactU16.TryRead(data, ref offset, out int accountCount) || accountCount > data.Length - offset) return false;
            var accounts = new int[accountCount];
            for (int a = 0; a < accountCount; a++) accounts[a] = data[offset++];
            if (!CompactU16.TryRead(data, ref offset, out int dataLength) || dataLength > data.Length - offset) return false;
            instructions[i] = new Instruction(program, accounts, data.Slice(offset, dataLength).ToArray());
            offset += dataLength;
        }
        int lookupAccounts = 0;
        if (version == 0)
        {
            if (!CompactU16.TryRead(data, ref offset, out int tableCount)) return false;
            for (int t = 0; t < tableCount; t++)
            {
                if (data.Length - offset < 32) return false;
                offset += 32;
                for (int list = 0; list < 2; list++)
                {
                    if (!CompactU16.TryRead(data, ref offset, out int count) || count > data.Length - offset) return false;
                    offset += count;
                    lookupAccounts += count;
                }
            }
        }
        if (offset != data.Length || keyCount + lookupAccounts > 256) return false;
        int total = keyCount + lookupAccounts;
        foreach (Instruction instruction in instructions)
        {
            // Programs are never loaded from lookup tables, and never the fee payer.
            if (instruction.ProgramIndex == 0 || instruction.ProgramIndex >= keyCount) return false;
            foreach (int account in instruction.Accounts)
                if (account >= total) return false;
        }
        message = new Message(version, required, keys, lookupAccounts, instructions);
        return true;
    }

    /// <summary>A wire transaction: a compact-u16 count of 64-byte signatures, then the message; returns the message bytes.</summary>
    public static bool TryReadTransaction(ReadOnlySpan<byte> data, out ReadOnlySpan<byte> messageBytes)
    {
        messageBytes = default;
        int offset = 0;
        if (!CompactU16.TryRead(data, ref offset, out int signatures) || signatures == 0 || (long)signatures * 64 > data.Length - offset) return false;
        messageBytes = data[(offset + signatures * 64)..];
        return true;
    }
}
