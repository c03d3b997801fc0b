using System.Buffers.Binary;
using System.Numerics;

namespace Keystore.Policies.Decoding;

/// <summary>
/// The most a Solana transaction message can pay in fees, read from its Compute Budget instructions: 5,000 lamports per
/// required signature plus the prioritization fee, ceil(compute-unit price in micro-lamports × compute-unit limit / 10⁶).
/// The prioritization fee goes to the block's leader, so all of it is the account's spend.
/// </summary>
/// <remarks>
/// Facts from the Solana documentation ("Transaction Fees", "Compute Budget") and the compute-budget program's instruction
/// layout: instruction data is a one-byte tag then little-endian arguments, tag 2 SetComputeUnitLimit(u32), tag 3
/// SetComputeUnitPrice(u64 micro-lamports); without a SetComputeUnitLimit the limit is 200,000 units for every instruction
/// that is not a Compute Budget one, and any limit is capped at 1,400,000. The runtime refuses a message with two of the
/// same Compute Budget instruction or one it cannot read; such a message is opaque here, and its fee is still counted with
/// the largest values seen.
/// </remarks>
internal sealed class SolanaComputeBudget
{
    public const ulong LamportsPerSignature = 5_000;
    public const uint DefaultUnitsPerInstruction = 200_000;
    public const uint MaxUnitLimit = 1_400_000;
    private const byte RequestHeapFrame = 1, SetComputeUnitLimit = 2, SetComputeUnitPrice = 3, SetLoadedAccountsDataSizeLimit = 4;

    private readonly HashSet<byte> _seen = [];
    private uint? _unitLimit;
    private ulong _microLamportsPerUnit;
    private int _otherInstructions;

    /// <summary>An instruction of another program: each gets the default compute-unit limit when none is set.</summary>
    public void CountInstruction() => _otherInstructions++;

    /// <summary>Reads one Compute Budget instruction; one the runtime would refuse sets <paramref name="opaque"/>.</summary>
    public void Read(ReadOnlySpan<byte> data, ref string? opaque)
    {
        if (data.Length == 0)
        {
            opaque ??= "a Compute Budget instruction has no data";
            return;
        }
        byte tag = data[0];
        if (!_seen.Add(tag)) opaque ??= $"a Compute Budget instruction (tag {tag}) appears twice";
        int length = tag switch
        {
            RequestHeapFrame or SetComputeUnitLimit or SetLoadedAccountsDataSizeLimit => 5,
            SetComputeUnitPrice => 9,
            _ => 0,
        };
        if (length == 0)
        {
            opaque ??= $"a Compute Budget instruction has the unknown tag {tag}";
            return;
        }
        if (data.Length != length) opaque ??= $"a Compute Budget instruction (tag {tag}) is not {length} bytes";
        // What can be read from the leading bytes counts, the largest when repeated: counting too much is safe, too little is not.
        if (data.Length < length) return;
        if (tag == SetComputeUnitLimit)
            _unitLimit = Math.Max(_unitLimit ?? 0, BinaryPrimitives.ReadUInt32LittleEndian(data[1..]));
        else if (tag == SetComputeUnitPrice)
            _microLamportsPerUnit = Math.Max(_microLamportsPerUnit, BinaryPrimitives.ReadUInt64LittleEndian(data[1..]));
    }

    /// <summary>The fee in lamports of a message with <paramref name="requiredSignatures"/> signatures.</summary>
    public BigInteger Fee(int requiredSignatures)
    {
        ulong units = Math.Min(_unitLimit ?? (ulong)DefaultUnitsPerInstruction * (ulong)_otherInstructions, MaxUnitLimit);
        BigInteger microLamports = (BigInteger)_microLamportsPerUnit * units;
        BigInteger prioritization = (microLamports + 999_999) / 1_000_000;
        return (BigInteger)LamportsPerSignature * requiredSignatures + prioritization;
    }
}
