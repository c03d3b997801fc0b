using System.Buffers.Binary;
using System.Text.Json;
using Keystore.Chains.Solana;
using Keystore.Near.Encoding;
using Keystore.Policies.Documents;

namespace Keystore.Policies.Decoding;

/// <summary>
/// Decodes a Solana sign body (<c>message</c>: a legacy or v0 message, or <c>transaction</c>: a wire transaction,
/// base64 or with <c>"encoding": "base58"</c> base58) into a <see cref="SignIntent"/>: every program it invokes, SOL moved by the System program's
/// <c>transfer</c> and <c>createAccount</c>, and SPL Token / Token-2022 <c>transfer</c>, <c>transferChecked</c>,
/// <c>approve</c> and <c>approveChecked</c> (destinations are token accounts), and the fee (see <see cref="SolanaComputeBudget"/>),
/// spend of SOL. Never throws on a hostile body.
/// </summary>
public static class SolanaIntentDecoder
{
    public const string SystemProgram = "11111111111111111111111111111111";
    public const string TokenProgram = "TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA";
    public const string Token2022Program = "TokenzQdBNbLqP5VEhdkAS6EPFLC1PHnBqCXEpPxuEb";
    public const string AssociatedTokenProgram = "ATokenGPvbdGVxr1b2hvZbsiqW5xWH25efTNsLJA8knL";
    public const string ComputeBudgetProgram = "ComputeBudget111111111111111111111111111111";

    public static SignIntent Decode(JsonElement body)
    {
        if (body.ValueKind != JsonValueKind.Object) return Opaque("the body is not a JSON object");
        // A null member is absent to the sign route (ChainRequestJson.SingleMember), which then signs the other: so here too.
        bool wire = JsonQuantity.TryGetMember(body, "transaction", out JsonElement payload);
        if (!wire && !JsonQuantity.TryGetMember(body, "message", out payload)) return Opaque("the body has no message or transaction");
        // The same text the signer reads: base64, or base58 when the body says so.
        SolanaTextEncoding encoding = SolanaTextEncoding.Base64;
        if (body.TryGetProperty("encoding", out JsonElement name) && name.ValueKind != JsonValueKind.Null
            && (name.ValueKind != JsonValueKind.String || !SolanaText.TryParseEncoding(name.GetString(), out encoding)))
            return Opaque("the payload's encoding is unknown");
        if (payload.ValueKind != JsonValueKind.String || !SolanaText.TryDecode(payload.GetString(), encoding, out byte[] bytes))
            return Opaque($"the payload is not {SolanaText.Name(encoding)}");
        return DecodeMessage(bytes, wire);
    }

    /// <summary>Decodes raw message bytes (or a wire transaction when <paramref name="wire"/>).</summary>
    public static SignIntent DecodeMessage(ReadOnlySpan<byte> bytes, bool wire = false)
    {
        ReadOnlySpan<byte> messageBytes = bytes;
        int signatures = 0;
        if (wire)
        {
            if (!SolanaMessageReader.TryReadTransaction(bytes, out messageBytes)) return Opaque("the transaction is malformed");
            int offset = 0;
            CompactU16.TryRead(bytes, ref offset, out signatures);
        }
        if (!SolanaMessageReader.TryRead(messageBytes, out SolanaMessageReader.Message message)) return Opaque("the message is malformed");
        if (wire && signatures != message.RequiredSignatures) return Opaque("the transaction's signature count differs from its message's");

        var transfers = new List<AssetTransfer>();
        var calls = new List<ContractCall>();
        string? opaque = null;
        var budget = new SolanaComputeBudget();
        foreach (SolanaMessageReader.Instruction instruction in message.Instructions)
        {
            string program = Base58.Encode(message.StaticKeys[instruction.ProgramIndex]);
            bool decoded = program switch
            {
                SystemProgram => DecodeSystem(message, instruction, transfers, ref opaque),
                TokenProgram or Token2022Program => DecodeToken(message, instruction, transfers, ref opaque),
                // Creating an associated token account moves only its rent.
                AssociatedTokenProgram => instruction.Data.Length == 0 || (instruction.Data.Length == 1 && instruction.Data[0] <= 1),
                // Compute budget sets limits and the price of compute, read below into the fee.
                ComputeBudgetProgram => true,
                _ => false,
            };
            if (program == ComputeBudgetProgram) budget.Read(instruction.Data, ref opaque);
            else budget.CountInstruction();
            calls.Add(new ContractCall(program, null, decoded));
        }
        // The fee is charged to the fee payer, which need not be the agent's key: counting it whoever pays over-counts at worst.
        transfers.Add(new AssetTransfer(AssetId.Sol, null, budget.Fee(message.RequiredSignatures), TransferKind.Fee));
        return new SignIntent { Chain = PolicyChain.Solana, Operation = PolicyOperation.Transaction, Transfers = transfers, Calls = calls, OpaqueReason = opaque };
    }

    /// <summary>The intent of a Solana off-chain message: no value moves.</summary>
    public static SignIntent OffchainMessage() => new() { Chain = PolicyChain.Solana, Operation = PolicyOperation.OffchainMessage };

    private static bool DecodeSystem(SolanaMessageReader.Message message, SolanaMessageReader.Instruction instruction, List<AssetTransfer> transfers, ref string? opaque)
    {
        ReadOnlySpan<byte> data = instruction.Data;
        if (data.Length < 4) return false;
        uint kind = BinaryPrimitives.ReadUInt32LittleEndian(data);
        switch (kind)
        {
            // The System program reads its instruction with bincode allowing trailing bytes: a longer one still moves its lamports.
            case 0 when data.Length >= 52 && instruction.Accounts.Length >= 2: // CreateAccount { lamports, space, owner }
            case 2 when data.Length >= 12 && instruction.Accounts.Length >= 2: // Transfer { lamports }
                if (data.Length > (kind == 0 ? 52 : 12)) opaque ??= "a System instruction has bytes after its arguments";
                ulong lamports = BinaryPrimitives.ReadUInt64LittleEndian(data[4..]);
                string? to = Address(message, instruction.Accounts[1]);
                if (to is null) opaque ??= "a SOL transfer's destination is in an address lookup table";
                transfers.Add(new AssetTransfer(AssetId.Sol, to, lamports, TransferKind.Native));
                return true;
            case 4: // AdvanceNonceAccount: durable nonces, moves nothing
                return data.Length == 4;
            default:
                return false;
        }
    }

    private static bool DecodeToken(SolanaMessageReader.Message message, SolanaMessageReader.Instruction instruction, List<AssetTransfer> transfers, ref string? opaque)
    {
        ReadOnlySpan<byte> data = instruction.Data;
        int[] accounts = instruction.Accounts;
        if (data.Length == 0) return false;
        // The token programs read an instruction's leading bytes and ignore the rest: a longer one still moves its amount.
        (int destination, int mint, TransferKind kind, int length)? shape = data[0] switch
        {
            3 when data.Length >= 9 && accounts.Length >= 3 => (1, -1, TransferKind.Token, 9),     // Transfer { amount }: source, destination, authority
            4 when data.Length >= 9 && accounts.Length >= 3 => (1, -1, TransferKind.Approval, 9),  // Approve { amount }: source, delegate, owner
            12 when data.Length >= 10 && accounts.Length >= 4 => (2, 1, TransferKind.Token, 10),   // TransferChecked { amount, decimals }: source, mint, destination, authority
            13 when data.Length >= 10 && accounts.Length >= 4 => (2, 1, TransferKind.Approval, 10), // ApproveChecked { amount, decimals }: source, mint, delegate, owner
            _ => null,
        };
        if (shape is not { } s) return false;
        if (data.Length > s.length) opaque ??= "a token instruction has bytes after its arguments";
        ulong amount = BinaryPrimitives.ReadUInt64LittleEndian(data[1..]);
        string? to = Address(message, accounts[s.destination]);
        if (to is null) opaque ??= "a token transfer's destination is in an address lookup table";
        string asset;
        if (s.mint < 0)
        {
            // Plain transfer/approve name only token accounts; the mint is on chain, not in the message.
            asset = AssetId.UnknownSplMint;
            opaque ??= "an SPL transfer or approve without its mint (use transferChecked)";
        }
        else if (Address(message, accounts[s.mint]) is { } mint) asset = AssetId.Spl(mint);
        else
        {
            asset = AssetId.UnknownSplMint;
            opaque ??= "a token transfer's mint is in an address lookup table";
        }
        transfers.Add(new AssetTransfer(asset, to, amount, s.kind) { IsUnlimitedApproval = s.kind == TransferKind.Approval && amount == ulong.MaxValue });
        return true;
    }

    private static string? Address(SolanaMessageReader.Message message, int index) =>
        message.Key(index) is { } key ? Base58.Encode(key) : null;

    private static SignIntent Opaque(string reason) =>
        new() { Chain = PolicyChain.Solana, Operation = PolicyOperation.Transaction, OpaqueReason = reason };
}
