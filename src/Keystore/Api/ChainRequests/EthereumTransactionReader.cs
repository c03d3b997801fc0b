using System.Numerics;
using System.Text.Json;
using Keystore.Chains;
using Keystore.Chains.Ethereum;

namespace Keystore.Api.ChainRequests;

/// <summary>
/// Reads the <c>transaction</c> object of an Ethereum sign request strictly, so that what is signed is exactly what the
/// caller described: unknown or contradictory fields are refused rather than ignored. Two shapes are accepted:
/// a JSON-RPC transaction (<c>gas</c> or <c>gasLimit</c>, <c>data</c> or <c>input</c>) and ethers v6's
/// <c>Transaction.toJSON()</c> (big numbers as decimal strings, <c>gasLimit</c>, null for absent fields, <c>sig: null</c>;
/// a <c>hash</c> or <c>sig</c> that is not null means an already signed transaction and is refused).
/// </summary>
internal static class EthereumTransactionReader
{
    private const ChainError Problem = ChainError.InvalidTransaction;

    private static readonly HashSet<string> KnownFields = new(StringComparer.Ordinal)
    {
        "type", "chainId", "nonce", "to", "from", "value", "data", "input", "gas", "gasLimit",
        "gasPrice", "maxFeePerGas", "maxPriorityFeePerGas", "accessList", "sig", "hash",
    };

    public static EthereumTransaction Read(JsonElement tx)
    {
        if (tx.ValueKind != JsonValueKind.Object)
            throw new ChainRequestException(Problem, "'transaction' must be a JSON object or an unsigned serialized transaction (0x hex).");
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
            Get(name) is { } v ? EthereumRequestJson.Quantity(v, name, Problem, bits) : null;

        if (Get("sig") is not null || Get("hash") is not null)
            throw new ChainRequestException(Problem, "This transaction is already signed ('sig' or 'hash' is set); send the unsigned transaction.");

        bool hasAccessList = Get("accessList") is not null;
        bool hasFeeMarket = Get("maxFeePerGas") is not null || Get("maxPriorityFeePerGas") is not null;
        byte type;
        if (Get("type") is { } typeElement)
        {
            var t = EthereumRequestJson.Quantity(typeElement, "type", Problem, 8);
            if (t > 2) throw new ChainRequestException(Problem, $"Transaction type {t} is not supported (0, 1 and 2 are).");
            type = (byte)t;
        }
        else
        {
            type = hasFeeMarket ? (byte)2 : hasAccessList ? (byte)1 : (byte)0;
        }

        var chainId = Quantity("chainId") ?? throw new ChainRequestException(Problem, "'chainId' is required (replay protection).");
        var nonce = Quantity("nonce", 64) ?? throw new ChainRequestException(Problem, "'nonce' is required.");
        var gas = Quantity("gas", 64);
        var gasLimit = Quantity("gasLimit", 64);
        if (gas is not null && gasLimit is not null && gas != gasLimit)
            throw new ChainRequestException(Problem, "'gas' and 'gasLimit' disagree.");
        var gasValue = gas ?? gasLimit ?? throw new ChainRequestException(Problem, "'gas' (or 'gasLimit') is required.");

        byte[]? data = Get("data") is { } d ? EthereumRequestJson.Data(d, "data", Problem) : null;
        byte[]? input = Get("input") is { } i ? EthereumRequestJson.Data(i, "input", Problem) : null;
        if (data is not null && input is not null && !data.AsSpan().SequenceEqual(input))
            throw new ChainRequestException(Problem, "'data' and 'input' disagree.");
        if (type == 0 && hasAccessList) throw new ChainRequestException(Problem, "Legacy transactions have no access list.");

        var transaction = new EthereumTransaction
        {
            Type = type,
            ChainId = chainId,
            Nonce = nonce,
            GasLimit = gasValue,
            GasPrice = Quantity("gasPrice"),
            MaxFeePerGas = Quantity("maxFeePerGas"),
            MaxPriorityFeePerGas = Quantity("maxPriorityFeePerGas"),
            To = Get("to") is { } to ? EthereumRequestJson.Address(to, "to", Problem) : null,
            From = Get("from") is { } from ? EthereumRequestJson.Address(from, "from", Problem) : null,
            Value = Quantity("value") ?? BigInteger.Zero,
            Data = data ?? input ?? [],
            AccessList = Get("accessList") is { } list ? ReadAccessList(list) : [],
        };
        transaction.Validate();
        return transaction;
    }

    private static List<AccessListEntry> ReadAccessList(JsonElement list)
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
                var bytes = EthereumRequestJson.Data(key, "accessList.storageKeys", Problem);
                if (bytes.Length != 32) throw new ChainRequestException(Problem, "Storage keys are 32 bytes.");
                storageKeys.Add(bytes);
            }
            entries.Add(new AccessListEntry(EthereumRequestJson.Address(address, "accessList.address", Problem), storageKeys));
        }
        return entries;
    }
}
