using System.Numerics;
using System.Text.Json;

namespace Keystore.Chains.Ethereum;

/// <summary>
/// An Ethereum transaction to sign: legacy with EIP-155 replay protection (type 0), EIP-2930
/// (type 1) or EIP-1559 (type 2). Parsed strictly from the JSON-RPC transaction object so that
/// what is signed is exactly what the caller described: unknown or contradictory fields are
/// rejected rather than ignored.
/// </summary>
public sealed class EthereumTransaction
{
    private const ChainError Problem = ChainError.InvalidTransaction;

    private static readonly HashSet<string> KnownFields = new(StringComparer.Ordinal)
    {
        "type", "chainId", "nonce", "to", "from", "value", "data", "input", "gas", "gasLimit",
        "gasPrice", "maxFeePerGas", "maxPriorityFeePerGas", "accessList",
    };

    /// <summary>
    /// EIP-2294's bound on a chain id, <c>floor(MAX_UINT64 / 2) - 36</c> = 9,223,372,036,854,775,771: above it
    /// EIP-155's <c>v = chainId * 2 + 35 + recovery id</c> no longer fits 64 bits (2^256 - 1 gave a 257-bit v).
    /// </summary>
    public static readonly BigInteger MaxChainId = ulong.MaxValue / 2 - 36;

    /// <summary>The gas every transaction costs before it runs (G_transaction).</summary>
    public const long BaseGas = 21_000;

    private EthereumTransaction() { }

    public byte Type { get; private init; }
    public BigInteger ChainId { get; private init; }
    public BigInteger Nonce { get; private init; }
    public BigInteger GasPrice { get; private init; }
    public BigInteger MaxPriorityFeePerGas { get; private init; }
    public BigInteger MaxFeePerGas { get; private init; }
    public BigInteger GasLimit { get; private init; }
    /// <summary>Null for contract creation.</summary>
    public byte[]? To { get; private init; }
    public BigInteger Value { get; private init; }
    public byte[] Data { get; private init; } = [];
    public IReadOnlyList<AccessListEntry> AccessList { get; private init; } = [];
    /// <summary>The <c>from</c> the caller stated, if any; the signer checks it is its own address.</summary>
    public byte[]? From { get; private init; }

    /// <summary>Parses a JSON-RPC style transaction object. Throws <see cref="ChainRequestException"/> (<c>invalid-transaction</c>).</summary>
    public static EthereumTransaction Parse(JsonElement tx)
    {
        if (tx.ValueKind != JsonValueKind.Object)
            throw new ChainRequestException(Problem, "'transaction' must be a JSON object.");
        var fields = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var property in tx.EnumerateObject())
        {
            if (!KnownFields.Contains(property.Name))
                throw new ChainRequestException(Problem, $"Unknown transaction field '{property.Name}'.");
            if (!fields.TryAdd(property.Name, property.Value))
                throw new ChainRequestException(Problem, $"Duplicate transaction field '{property.Name}'.");
        }

        JsonElement? Get(string name) =>
            fields.TryGetValue(name, out var v) && v.ValueKind != JsonValueKind.Null ? v : null;
        BigInteger? Quantity(string name, int bits = 256) =>
            Get(name) is { } v ? EthereumJson.Quantity(v, name, Problem, bits) : null;

        bool hasAccessList = Get("accessList") is not null;
        bool hasFeeMarket = Get("maxFeePerGas") is not null || Get("maxPriorityFeePerGas") is not null;
        byte type;
        if (Get("type") is { } typeElement)
        {
            var t = EthereumJson.Quantity(typeElement, "type", Problem, 8);
            if (t > 2) throw new ChainRequestException(Problem, $"Transaction type {t} is not supported (0, 1 and 2 are).");
            type = (byte)t;
        }
        else
        {
            type = hasFeeMarket ? (byte)2 : hasAccessList ? (byte)1 : (byte)0;
        }

        var chainId = Quantity("chainId") ?? throw new ChainRequestException(Problem, "'chainId' is required (replay protection).");
        if (chainId.IsZero) throw new ChainRequestException(Problem, "'chainId' must be at least 1.");
        if (chainId > MaxChainId) throw new ChainRequestException(Problem, $"'chainId' must be at most {MaxChainId} (EIP-2294).");
        // EIP-2681 bounds the nonce to 64 bits; gas limits are 64-bit in every client.
        var nonce = Quantity("nonce", 64) ?? throw new ChainRequestException(Problem, "'nonce' is required.");
        var gas = Quantity("gas", 64);
        var gasLimit = Quantity("gasLimit", 64);
        if (gas is not null && gasLimit is not null && gas != gasLimit)
            throw new ChainRequestException(Problem, "'gas' and 'gasLimit' disagree.");
        var gasValue = gas ?? gasLimit ?? throw new ChainRequestException(Problem, "'gas' (or 'gasLimit') is required.");

        byte[]? data = Get("data") is { } d ? EthereumJson.Data(d, "data", Problem) : null;
        byte[]? input = Get("input") is { } i ? EthereumJson.Data(i, "input", Problem) : null;
        if (data is not null && input is not null && !data.AsSpan().SequenceEqual(input))
            throw new ChainRequestException(Problem, "'data' and 'input' disagree.");

        var to = Get("to") is { } toElement ? EthereumJson.Address(toElement, "to", Problem) : null;
        var accessList = Get("accessList") is { } list ? ParseAccessList(list) : [];
        long intrinsic = IntrinsicGasFloor(data ?? input ?? [], to is null, accessList);
        if (gasValue < intrinsic)
            throw new ChainRequestException(Problem, $"'gas' {gasValue} is below the {intrinsic} this transaction costs before it runs (21000 + data, creation and access list); no node would accept it.");

        var gasPrice = Quantity("gasPrice");
        var maxFee = Quantity("maxFeePerGas");
        var maxPriority = Quantity("maxPriorityFeePerGas");
        switch (type)
        {
            case 0 or 1:
                if (hasFeeMarket) throw new ChainRequestException(Problem, $"Type {type} transactions take 'gasPrice', not EIP-1559 fee fields.");
                if (gasPrice is null) throw new ChainRequestException(Problem, "'gasPrice' is required.");
                if (type == 0 && hasAccessList) throw new ChainRequestException(Problem, "Legacy transactions have no access list.");
                break;
            case 2:
                if (gasPrice is not null) throw new ChainRequestException(Problem, "EIP-1559 transactions take 'maxFeePerGas' and 'maxPriorityFeePerGas', not 'gasPrice'.");
                if (maxFee is null || maxPriority is null) throw new ChainRequestException(Problem, "'maxFeePerGas' and 'maxPriorityFeePerGas' are required.");
                if (maxPriority > maxFee) throw new ChainRequestException(Problem, "'maxPriorityFeePerGas' exceeds 'maxFeePerGas'.");
                break;
        }

        return new EthereumTransaction
        {
            Type = type,
            ChainId = chainId,
            Nonce = nonce,
            GasLimit = gasValue,
            GasPrice = gasPrice ?? BigInteger.Zero,
            MaxFeePerGas = maxFee ?? BigInteger.Zero,
            MaxPriorityFeePerGas = maxPriority ?? BigInteger.Zero,
            To = to,
            From = Get("from") is { } from ? EthereumJson.Address(from, "from", Problem) : null,
            Value = Quantity("value") ?? BigInteger.Zero,
            Data = data ?? input ?? [],
            AccessList = accessList,
        };
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

    private static List<AccessListEntry> ParseAccessList(JsonElement list)
    {
        if (list.ValueKind != JsonValueKind.Array)
            throw new ChainRequestException(Problem, "'accessList' must be an array.");
        var entries = new List<AccessListEntry>();
        foreach (var item in list.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Object
                || !item.TryGetProperty("address", out var address)
                || !item.TryGetProperty("storageKeys", out var keys)
                || keys.ValueKind != JsonValueKind.Array
                || item.EnumerateObject().Count() != 2)
                throw new ChainRequestException(Problem, "Each access list entry is {address, storageKeys: [...]}.");
            var storageKeys = new List<byte[]>();
            foreach (var key in keys.EnumerateArray())
            {
                var bytes = EthereumJson.Data(key, "accessList.storageKeys", Problem);
                if (bytes.Length != 32) throw new ChainRequestException(Problem, "Storage keys are 32 bytes.");
                storageKeys.Add(bytes);
            }
            entries.Add(new AccessListEntry(EthereumJson.Address(address, "accessList.address", Problem), storageKeys));
        }
        return entries;
    }

    /// <summary>keccak256 of the unsigned payload: what the ECDSA signature covers.</summary>
    public byte[] SigningHash()
    {
        var rlp = new Rlp();
        WritePayload(rlp, signature: default, recoveryId: 0, signed: false);
        return Keccak256.Hash(Envelope(rlp));
    }

    /// <summary>The signed, network-ready encoding: RLP for legacy, <c>type ‖ RLP</c> for typed transactions.</summary>
    public byte[] EncodeSigned(ReadOnlySpan<byte> signature64, int recoveryId)
    {
        if (signature64.Length != 64 || recoveryId is < 0 or > 1)
            throw new ArgumentException("A signature is 64 bytes with recovery id 0 or 1.");
        var rlp = new Rlp();
        WritePayload(rlp, signature64, recoveryId, signed: true);
        return Envelope(rlp);
    }

    private byte[] Envelope(Rlp rlp)
    {
        if (Type == 0) return rlp.ToArray();
        var written = rlp.Written;
        var envelope = new byte[written.Length + 1];
        envelope[0] = Type;
        written.CopyTo(envelope.AsSpan(1));
        return envelope;
    }

    private void WritePayload(Rlp rlp, ReadOnlySpan<byte> signature, int recoveryId, bool signed)
    {
        rlp.BeginList();
        if (Type == 0)
        {
            rlp.WriteInteger(Nonce);
            rlp.WriteInteger(GasPrice);
            rlp.WriteInteger(GasLimit);
            rlp.WriteBytes(To ?? []);
            rlp.WriteInteger(Value);
            rlp.WriteBytes(Data);
            if (signed)
            {
                // EIP-155: v = chainId * 2 + 35 + recovery id.
                rlp.WriteInteger(ChainId * 2 + 35 + recoveryId);
                rlp.WriteUnsignedBigEndian(signature[..32]);
                rlp.WriteUnsignedBigEndian(signature[32..]);
            }
            else
            {
                // EIP-155: the signing payload ends with chainId, 0, 0.
                rlp.WriteInteger(ChainId);
                rlp.WriteInteger(BigInteger.Zero);
                rlp.WriteInteger(BigInteger.Zero);
            }
        }
        else
        {
            rlp.WriteInteger(ChainId);
            rlp.WriteInteger(Nonce);
            if (Type == 2)
            {
                rlp.WriteInteger(MaxPriorityFeePerGas);
                rlp.WriteInteger(MaxFeePerGas);
            }
            else
            {
                rlp.WriteInteger(GasPrice);
            }
            rlp.WriteInteger(GasLimit);
            rlp.WriteBytes(To ?? []);
            rlp.WriteInteger(Value);
            rlp.WriteBytes(Data);
            rlp.BeginList();
            foreach (var entry in AccessList)
            {
                rlp.BeginList();
                rlp.WriteBytes(entry.Address);
                rlp.BeginList();
                foreach (var key in entry.StorageKeys) rlp.WriteBytes(key);
                rlp.EndList();
                rlp.EndList();
            }
            rlp.EndList();
            if (signed)
            {
                rlp.WriteInteger(recoveryId);
                rlp.WriteUnsignedBigEndian(signature[..32]);
                rlp.WriteUnsignedBigEndian(signature[32..]);
            }
        }
        rlp.EndList();
    }
}
