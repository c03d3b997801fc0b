using System.Numerics;
using Nethereum.Model;
using Nethereum.RLP;
using Nethereum.Util;

namespace Keystore.Chains.Ethereum;

/// <summary>
/// An Ethereum transaction to sign: legacy with EIP-155 replay protection (type 0), EIP-2930 (type 1) or
/// EIP-1559 (type 2). <see cref="Validate"/> refuses anything a node would refuse or that could sign
/// something else than described (no chain id, fee fields of another type, gas below the intrinsic cost);
/// the encodings are Nethereum's (<see cref="LegacyTransactionChainId"/>, <see cref="Transaction2930"/>,
/// <see cref="Transaction1559"/>).
/// </summary>
public sealed class EthereumTransaction
{
    private const ChainError Problem = ChainError.InvalidTransaction;

    /// <summary>
    /// EIP-2294's bound on a chain id, <c>floor(MAX_UINT64 / 2) - 36</c> = 9,223,372,036,854,775,771: above it
    /// EIP-155's <c>v = chainId * 2 + 35 + recovery id</c> no longer fits 64 bits (2^256 - 1 gave a 257-bit v).
    /// </summary>
    public static readonly BigInteger MaxChainId = ulong.MaxValue / 2 - 36;

    /// <summary>The gas every transaction costs before it runs (G_transaction).</summary>
    public const long BaseGas = 21_000;

    public required byte Type { get; init; }
    public required BigInteger ChainId { get; init; }
    public required BigInteger Nonce { get; init; }
    public required BigInteger GasLimit { get; init; }
    /// <summary>Types 0 and 1 only.</summary>
    public BigInteger? GasPrice { get; init; }
    /// <summary>Type 2 only.</summary>
    public BigInteger? MaxPriorityFeePerGas { get; init; }
    /// <summary>Type 2 only.</summary>
    public BigInteger? MaxFeePerGas { get; init; }
    /// <summary>Null for contract creation.</summary>
    public byte[]? To { get; init; }
    public BigInteger Value { get; init; }
    public byte[] Data { get; init; } = [];
    public IReadOnlyList<AccessListEntry> AccessList { get; init; } = [];
    /// <summary>The <c>from</c> the caller stated, if any; the signer checks it is its own address.</summary>
    public byte[]? From { get; init; }

    /// <summary>Throws <see cref="ChainRequestException"/> (<see cref="ChainError.InvalidTransaction"/>) for a transaction that must not be signed.</summary>
    public void Validate()
    {
        if (Type > 2) throw new ChainRequestException(Problem, $"Transaction type {Type} is not supported (0, 1 and 2 are).");
        if (ChainId < BigInteger.One) throw new ChainRequestException(Problem, "'chainId' must be at least 1.");
        if (ChainId > MaxChainId) throw new ChainRequestException(Problem, $"'chainId' must be at most {MaxChainId} (EIP-2294).");
        // EIP-2681 bounds the nonce to 64 bits; gas limits are 64-bit in every client.
        CheckQuantity(Nonce, "nonce", 64);
        CheckQuantity(GasLimit, "gas", 64);
        CheckQuantity(Value, "value", 256);
        if (GasPrice is { } gasPrice) CheckQuantity(gasPrice, "gasPrice", 256);
        if (MaxFeePerGas is { } maxFee) CheckQuantity(maxFee, "maxFeePerGas", 256);
        if (MaxPriorityFeePerGas is { } maxPriority) CheckQuantity(maxPriority, "maxPriorityFeePerGas", 256);
        if (To is not null && To.Length != 20) throw new ChainRequestException(Problem, "'to' must be a 20-byte address.");
        if (From is not null && From.Length != 20) throw new ChainRequestException(Problem, "'from' must be a 20-byte address.");
        foreach (var entry in AccessList)
        {
            if (entry.Address.Length != 20) throw new ChainRequestException(Problem, "Access list addresses are 20 bytes.");
            if (entry.StorageKeys.Any(k => k.Length != 32)) throw new ChainRequestException(Problem, "Storage keys are 32 bytes.");
        }
        switch (Type)
        {
            case 0 or 1:
                if (MaxFeePerGas is not null || MaxPriorityFeePerGas is not null)
                    throw new ChainRequestException(Problem, $"Type {Type} transactions take 'gasPrice', not EIP-1559 fee fields.");
                if (GasPrice is null) throw new ChainRequestException(Problem, "'gasPrice' is required.");
                if (Type == 0 && AccessList.Count > 0) throw new ChainRequestException(Problem, "Legacy transactions have no access list.");
                break;
            default:
                if (GasPrice is not null) throw new ChainRequestException(Problem, "EIP-1559 transactions take 'maxFeePerGas' and 'maxPriorityFeePerGas', not 'gasPrice'.");
                if (MaxFeePerGas is null || MaxPriorityFeePerGas is null) throw new ChainRequestException(Problem, "'maxFeePerGas' and 'maxPriorityFeePerGas' are required.");
                if (MaxPriorityFeePerGas > MaxFeePerGas) throw new ChainRequestException(Problem, "'maxPriorityFeePerGas' exceeds 'maxFeePerGas'.");
                break;
        }
        long intrinsic = IntrinsicGasFloor(Data, To is null, AccessList);
        if (GasLimit < intrinsic)
            throw new ChainRequestException(Problem, $"'gas' {GasLimit} is below the {intrinsic} this transaction costs before it runs (21000 + data, creation and access list); no node would accept it.");
    }

    private static void CheckQuantity(BigInteger value, string field, int maxBits)
    {
        if (value.Sign < 0) throw new ChainRequestException(Problem, $"'{field}' must not be negative.");
        if (value.GetBitLength() > maxBits) throw new ChainRequestException(Problem, $"'{field}' exceeds {maxBits} bits.");
    }

    /// <summary>
    /// The intrinsic gas that holds under every fork since Istanbul: 21000, 4 per zero and 16 per non-zero data
    /// byte (EIP-2028), 32000 more to create a contract, 2400 per access-list address and 1900 per storage key
    /// (EIP-2930). Later forks only add to it (EIP-3860, EIP-7623), so a transaction below it is invalid everywhere.
    /// </summary>
    public static long IntrinsicGasFloor(ReadOnlySpan<byte> data, bool creation, IReadOnlyList<AccessListEntry> accessList)
    {
        long gas = BaseGas + (creation ? 32_000 : 0);
        foreach (byte b in data) gas += b == 0 ? 4 : 16;
        foreach (var entry in accessList) gas += 2_400 + 1_900L * entry.StorageKeys.Count;
        return gas;
    }

    /// <summary>keccak256 of the unsigned payload: what the ECDSA signature covers.</summary>
    public byte[] SigningHash() => Sha3Keccack.Current.CalculateHash(ToNethereum().GetRLPEncodedRaw());

    /// <summary>The unsigned payload (EIP-155 form for legacy, <c>type ‖ RLP</c> for typed transactions).</summary>
    public byte[] EncodeUnsigned() => ToNethereum().GetRLPEncodedRaw();

    /// <summary>The signed, network-ready encoding: RLP for legacy, <c>type ‖ RLP</c> for typed transactions.</summary>
    public byte[] EncodeSigned(ReadOnlySpan<byte> signature64, int recoveryId) => EncodeSigned(ToNethereum(), signature64, recoveryId);

    /// <summary>Signs the Nethereum transaction the signing hash was computed from, so it is built once per signature.</summary>
    internal byte[] EncodeSigned(SignedTransaction transaction, ReadOnlySpan<byte> signature64, int recoveryId)
    {
        if (signature64.Length != 64 || recoveryId is < 0 or > 1)
            throw new ArgumentException("A signature is 64 bytes with recovery id 0 or 1.");
        // EIP-155: v = chainId * 2 + 35 + recovery id; typed transactions carry the y parity itself.
        byte[] v = Type == 0 ? (ChainId * 2 + 35 + recoveryId).ToBytesForRLPEncoding() : [(byte)recoveryId];
        transaction.SetSignature(new Signature(signature64[..32].ToArray(), signature64[32..].ToArray(), v));
        return transaction.GetRLPEncoded();
    }

    internal SignedTransaction ToNethereum()
    {
        string to = "0x" + Convert.ToHexStringLower(To ?? []);
        string data = "0x" + Convert.ToHexStringLower(Data);
        switch (Type)
        {
            case 0:
                return new LegacyTransactionChainId(Nonce.ToBytesForRLPEncoding(), GasPrice!.Value.ToBytesForRLPEncoding(),
                    GasLimit.ToBytesForRLPEncoding(), To ?? [], Value.ToBytesForRLPEncoding(), Data, ChainId.ToBytesForRLPEncoding());
            case 1:
                return new Transaction2930(ChainId, Nonce, GasPrice, GasLimit, to, Value, data, NethereumAccessList());
            default:
                return new Transaction1559(ChainId, Nonce, MaxPriorityFeePerGas, MaxFeePerGas, GasLimit, to, Value, data, NethereumAccessList());
        }
    }

    private List<AccessListItem> NethereumAccessList() =>
        [.. AccessList.Select(e => new AccessListItem("0x" + Convert.ToHexStringLower(e.Address), [.. e.StorageKeys]))];
}
