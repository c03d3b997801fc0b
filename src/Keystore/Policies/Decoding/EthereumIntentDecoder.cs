using System.Numerics;
using System.Text.Json;
using Keystore.Chains;
using Keystore.Chains.Ethereum;
using Keystore.Policies.Documents;

namespace Keystore.Policies.Decoding;

/// <summary>
/// Decodes an Ethereum sign body (<c>transaction</c> as JSON or unsigned serialized hex, <c>message</c> or
/// <c>typedData</c>, as the sign route takes them) into a <see cref="SignIntent"/>: the ether <c>value</c> and the most the
/// transaction can pay in gas (a fee, spend of ether), ERC-20 <c>transfer</c>/<c>transferFrom</c>/<c>approve</c>/
/// <c>increaseAllowance</c> from the calldata, other calls by contract and selector, the EIP-712 domain, and EIP-2612
/// permits as approvals. Never throws on a hostile body: what it cannot read makes the intent opaque.
/// </summary>
public static class EthereumIntentDecoder
{
    // Selectors: the first 4 bytes of keccak256 of the signature (ERC-20, EIP-20 text).
    private const string Transfer = "0xa9059cbb";          // transfer(address,uint256)
    private const string TransferFrom = "0x23b872dd";      // transferFrom(address,address,uint256)
    private const string Approve = "0x095ea7b3";           // approve(address,uint256)
    private const string IncreaseAllowance = "0x39509351"; // increaseAllowance(address,uint256), OpenZeppelin

    private static readonly BigInteger MaxUint256 = (BigInteger.One << 256) - 1;

    /// <summary>The EIP712Domain members a policy's domain rule names, with the types EIP-712 gives them.</summary>
    private static readonly (string Name, string Type)[] StandardDomainMembers =
        [("name", "string"), ("version", "string"), ("chainId", "uint256"), ("verifyingContract", "address")];

    /// <summary>EIP-2612's <c>Permit</c>, member by member: the only permit whose effect is decoded.</summary>
    private static readonly (string Name, string Type)[] Eip2612Permit =
        [("owner", "address"), ("spender", "address"), ("value", "uint256"), ("nonce", "uint256"), ("deadline", "uint256")];

    /// <summary>Permit2 and similar signatures move tokens in ways this decoder does not read.</summary>
    private static readonly HashSet<string> UndecodedTransferPermits =
        ["PermitSingle", "PermitBatch", "PermitTransferFrom", "PermitBatchTransferFrom", "PermitWitnessTransferFrom", "PermitBatchWitnessTransferFrom"];

    public static SignIntent Decode(JsonElement body)
    {
        if (body.ValueKind != JsonValueKind.Object)
            return Opaque(PolicyOperation.Transaction, "the body is not a JSON object");
        // A null member is absent to the sign route (ChainRequestJson.SingleMember), which then signs another: so here too.
        if (JsonQuantity.TryGetMember(body, "transaction", out JsonElement transaction)) return DecodeTransaction(transaction);
        if (JsonQuantity.TryGetMember(body, "typedData", out JsonElement typedData)) return DecodeTypedData(typedData);
        if (JsonQuantity.TryGetMember(body, "message", out _))
            return new SignIntent { Chain = PolicyChain.Ethereum, Operation = PolicyOperation.PersonalMessage };
        return Opaque(PolicyOperation.Transaction, "the body has no transaction, message or typedData");
    }

    private static SignIntent DecodeTransaction(JsonElement tx)
    {
        if (tx.ValueKind == JsonValueKind.String) return DecodeSerialized(tx);
        if (tx.ValueKind != JsonValueKind.Object) return Opaque(PolicyOperation.Transaction, "the transaction is not an object");
        if (!tx.TryGetProperty("chainId", out JsonElement c) || !JsonQuantity.TryRead(c, out BigInteger chainIdValue) || chainIdValue > ulong.MaxValue)
            return Opaque(PolicyOperation.Transaction, "the transaction has no readable chainId");
        ulong chainId = (ulong)chainIdValue;

        BigInteger value = BigInteger.Zero;
        if (tx.TryGetProperty("value", out JsonElement v) && !JsonQuantity.TryRead(v, out value))
            return Opaque(PolicyOperation.Transaction, "the transaction's value is not a quantity");

        // The calldata signed is a non-null data, else a non-null input (the sign route refuses the two when they differ): a null
        // data must not hide the input that is signed.
        byte[] data = [];
        if ((JsonQuantity.TryGetMember(tx, "data", out JsonElement d) || JsonQuantity.TryGetMember(tx, "input", out d)) && !JsonQuantity.TryReadData(d, out data))
            return Opaque(PolicyOperation.Transaction, "the transaction's data is not hex");

        string? to = null;
        if (tx.TryGetProperty("to", out JsonElement toElement) && toElement.ValueKind != JsonValueKind.Null && !JsonQuantity.TryReadAddress(toElement, out to))
            return Opaque(PolicyOperation.Transaction, "the transaction's to is not an address");
        if (!TryReadMaxFee(tx, out BigInteger fee))
            return Opaque(PolicyOperation.Transaction, "the transaction's gas or fee per gas cannot be read");
        return TransactionIntent(chainId, value, to, data, fee);
    }

    /// <summary>
    /// The most ether the transaction can pay its block: gas limit × <c>maxFeePerGas</c> (EIP-1559) or × <c>gasPrice</c>
    /// (legacy, EIP-2930), read from the members the sign route reads (<c>gas</c> or <c>gasLimit</c>; a null member is
    /// absent). The priority fee within it goes to whoever builds the block, so all of it is the account's spend. Where the
    /// route would refuse the fields (both gas members and they differ, both fee kinds) the larger is taken; false when
    /// the gas or the fee per gas is missing or not a quantity.
    /// </summary>
    private static bool TryReadMaxFee(JsonElement tx, out BigInteger fee)
    {
        fee = BigInteger.Zero;
        if (!TryReadLargest(tx, "gas", "gasLimit", out BigInteger? gas) || !TryReadLargest(tx, "maxFeePerGas", "gasPrice", out BigInteger? perGas)
            || gas is null || perGas is null)
            return false;
        fee = gas.Value * perGas.Value;
        return true;
    }

    /// <summary>The larger of two members that say one thing (null when both are absent); false when a present one is not a quantity.</summary>
    private static bool TryReadLargest(JsonElement tx, string first, string second, out BigInteger? largest)
    {
        largest = null;
        foreach (string name in new[] { first, second })
        {
            if (!JsonQuantity.TryGetMember(tx, name, out JsonElement element)) continue;
            if (!JsonQuantity.TryRead(element, out BigInteger read)) return false;
            largest = BigInteger.Max(largest ?? read, read);
        }
        return true;
    }

    /// <summary>
    /// <c>{"transaction": "0x…"}</c>: decoded by the same Chains decoder the sign route signs with, so a serialized
    /// transaction meets the same value, destination, calldata and chain id checks as its JSON form; one the route would
    /// refuse is opaque here.
    /// </summary>
    private static SignIntent DecodeSerialized(JsonElement tx)
    {
        if (!JsonQuantity.TryReadData(tx, out byte[] bytes) || bytes.Length == 0)
            return Opaque(PolicyOperation.Transaction, "the serialized transaction is not 0x hex");
        EthereumTransaction transaction;
        try
        {
            transaction = EthereumSerializedTransaction.Decode(bytes);
        }
        catch (ChainRequestException ex)
        {
            return Opaque(PolicyOperation.Transaction, $"the serialized transaction cannot be decoded ({ex.Message})");
        }
        // Validate() bounds the chain id by EIP-2294, well inside 64 bits.
        string? to = transaction.To is { } address ? "0x" + Convert.ToHexStringLower(address) : null;
        // Validate() requires gasPrice (types 0 and 1) or maxFeePerGas (type 2): the most the transaction can pay.
        BigInteger fee = transaction.GasLimit * (transaction.MaxFeePerGas ?? transaction.GasPrice ?? BigInteger.Zero);
        return TransactionIntent((ulong)transaction.ChainId, transaction.Value, to, transaction.Data, fee);
    }

    /// <summary>
    /// What a transaction moves and calls, from its decoded fields (<paramref name="to"/> lower case, null for a creation);
    /// <paramref name="fee"/> is the most it can pay in gas, spend of ether with no destination.
    /// </summary>
    private static SignIntent TransactionIntent(ulong chainId, BigInteger value, string? to, byte[] data, BigInteger fee)
    {
        string ether = AssetId.Ether(chainId);
        AssetTransfer[] feeTransfer = fee.IsZero ? [] : [new AssetTransfer(ether, null, fee, TransferKind.Fee)];
        if (to is null)
            return new SignIntent
            {
                Chain = PolicyChain.Ethereum,
                Operation = PolicyOperation.Transaction,
                Transfers = value.IsZero ? feeTransfer : [new AssetTransfer(ether, null, value, TransferKind.Native), .. feeTransfer],
                OpaqueReason = "a contract creation cannot be decoded",
            };

        var transfers = new List<AssetTransfer>();
        var calls = new List<ContractCall>();
        string? opaque = null;
        // Ether goes to `to` whenever some is sent, and a plain transfer names `to` as its destination even for 0.
        if (!value.IsZero || data.Length == 0) transfers.Add(new AssetTransfer(ether, to, value, TransferKind.Native));
        if (data.Length is > 0 and < 4)
            opaque = "the calldata is shorter than a selector";
        else if (data.Length >= 4)
        {
            string selector = "0x" + Convert.ToHexStringLower(data, 0, 4);
            ReadOnlySpan<byte> args = data.AsSpan(4);
            int words = selector switch { Transfer or Approve or IncreaseAllowance => 2, TransferFrom => 3, _ => 0 };
            if (words == 0) calls.Add(new ContractCall(to, selector, false));
            else
            {
                // A token acts on these arguments however malformed: every Solidity version ignores trailing bytes, and
                // Solidity 0.4 tokens (USDT among them) read missing bytes as zeros and keep an address word's low 20 bytes.
                // So they are read that way and counted, even under allowOpaque; only exactly formed ones count as decoded.
                byte[] padded = new byte[Math.Max(args.Length, 32 * words)];
                args.CopyTo(padded);
                bool wellFormed = args.Length == 32 * words;
                for (int i = 0; i < words - 1; i++)
                    wellFormed &= !padded.AsSpan(32 * i, 12).ContainsAnyExcept((byte)0);
                string token = AssetId.Erc20(chainId, to);
                BigInteger amount = Word(padded.AsSpan(32 * (words - 1), 32));
                transfers.Add(selector switch
                {
                    Transfer => new AssetTransfer(token, AddressWord(padded, 0), amount, TransferKind.Token),
                    TransferFrom => new AssetTransfer(token, AddressWord(padded, 1), amount, TransferKind.Token),
                    _ => Approval(token, AddressWord(padded, 0), amount),
                });
                if (!wellFormed) opaque = $"the arguments of ERC-20 selector {selector} are malformed";
                calls.Add(new ContractCall(to, selector, wellFormed));
            }
        }
        transfers.AddRange(feeTransfer);
        return new SignIntent { Chain = PolicyChain.Ethereum, Operation = PolicyOperation.Transaction, Transfers = transfers, Calls = calls, OpaqueReason = opaque };
    }

    private static SignIntent DecodeTypedData(JsonElement typedData)
    {
        if (typedData.ValueKind != JsonValueKind.Object || !typedData.TryGetProperty("domain", out JsonElement domainElement) || domainElement.ValueKind != JsonValueKind.Object)
            return Opaque(PolicyOperation.TypedData, "the typed data has no domain object");
        // Only the domain members the digest covers count: when types declares EIP712Domain, the signer hashes its members and
        // ignores any other member of the JSON domain, so a listed verifyingContract left out of the type names no contract.
        Dictionary<string, string>? declared = null;
        if (typedData.TryGetProperty("types", out JsonElement types) && types.ValueKind == JsonValueKind.Object
            && types.TryGetProperty("EIP712Domain", out JsonElement domainType))
        {
            if (!TryReadMembers(domainType, out List<(string Name, string Type)> members))
                return Opaque(PolicyOperation.TypedData, "the EIP712Domain type cannot be read");
            declared = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach ((string member, string type) in members) declared.TryAdd(member, type);
            foreach ((string member, string type) in StandardDomainMembers)
                if (declared.TryGetValue(member, out string? given) && given != type)
                    return Opaque(PolicyOperation.TypedData, $"the EIP712Domain type declares {member} as {given}, not {type}");
        }
        bool Hashed(string member, out JsonElement value)
        {
            value = default;
            return (declared is null || declared.ContainsKey(member)) && domainElement.TryGetProperty(member, out value);
        }
        string? name = Hashed("name", out JsonElement n) && n.ValueKind == JsonValueKind.String ? n.GetString() : null;
        string? version = Hashed("version", out JsonElement v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
        ulong? chainId = null;
        if (Hashed("chainId", out JsonElement c))
        {
            if (!JsonQuantity.TryRead(c, out BigInteger id) || id > ulong.MaxValue)
                return Opaque(PolicyOperation.TypedData, "the domain's chainId is not a quantity");
            chainId = (ulong)id;
        }
        string? contract = null;
        if (Hashed("verifyingContract", out JsonElement vc) && !JsonQuantity.TryReadAddress(vc, out contract!))
            return Opaque(PolicyOperation.TypedData, "the domain's verifyingContract is not an address");
        var domain = new Eip712Domain(name, version, chainId, contract);

        string? primaryType = typedData.TryGetProperty("primaryType", out JsonElement p) && p.ValueKind == JsonValueKind.String ? p.GetString() : null;
        var transfers = new List<AssetTransfer>();
        string? opaque = null;
        if (primaryType == "Permit")
        {
            // EIP-2612: Permit(owner, spender, value, nonce, deadline) lets `spender` move `value` of the domain's token.
            if (chainId is null || contract is null)
                opaque = "a permit without the domain's chainId and verifyingContract";
            // The spender and value read below are what is signed only when Permit is EIP-2612's type: DAI's Permit
            // (holder, spender, nonce, expiry, allowed) grants an unlimited allowance whatever "value" the JSON adds beside it.
            else if (types.ValueKind != JsonValueKind.Object || !types.TryGetProperty("Permit", out JsonElement permitType) || !TryReadMembers(permitType, out List<(string, string)> permit)
                || !permit.SequenceEqual(Eip2612Permit))
                opaque = "a Permit whose type is not EIP-2612's Permit(address owner,address spender,uint256 value,uint256 nonce,uint256 deadline)";
            else if (typedData.TryGetProperty("message", out JsonElement m) && m.ValueKind == JsonValueKind.Object
                && m.TryGetProperty("spender", out JsonElement s) && JsonQuantity.TryReadAddress(s, out string spender)
                && m.TryGetProperty("value", out JsonElement amount) && JsonQuantity.TryRead(amount, out BigInteger value))
                transfers.Add(Approval(AssetId.Erc20(chainId.Value, contract), spender, value));
            else
                opaque = "a permit whose spender or value cannot be read";
        }
        else if (primaryType is not null && UndecodedTransferPermits.Contains(primaryType))
            opaque = $"{primaryType} (Permit2) signatures are not decoded";
        return new SignIntent { Chain = PolicyChain.Ethereum, Operation = PolicyOperation.TypedData, Domain = domain, Transfers = transfers, OpaqueReason = opaque };
    }

    /// <summary>The members of an EIP-712 struct type (<c>[{name, type}, …]</c>); false when it is not that shape.</summary>
    private static bool TryReadMembers(JsonElement type, out List<(string Name, string Type)> members)
    {
        members = [];
        if (type.ValueKind != JsonValueKind.Array) return false;
        foreach (JsonElement member in type.EnumerateArray())
        {
            if (member.ValueKind != JsonValueKind.Object
                || !member.TryGetProperty("name", out JsonElement name) || name.ValueKind != JsonValueKind.String
                || !member.TryGetProperty("type", out JsonElement kind) || kind.ValueKind != JsonValueKind.String)
                return false;
            members.Add((name.GetString()!, kind.GetString()!));
        }
        return true;
    }

    private static AssetTransfer Approval(string asset, string spender, BigInteger amount) =>
        new(asset, spender, amount, TransferKind.Approval) { IsUnlimitedApproval = amount == MaxUint256 };

    private static SignIntent Opaque(PolicyOperation operation, string reason) =>
        new() { Chain = PolicyChain.Ethereum, Operation = operation, OpaqueReason = reason };

    /// <summary>The address in ABI word <paramref name="index"/>: its low 20 bytes.</summary>
    private static string AddressWord(byte[] words, int index) => "0x" + Convert.ToHexStringLower(words, 32 * index + 12, 20);

    private static BigInteger Word(ReadOnlySpan<byte> word) => new(word, isUnsigned: true, isBigEndian: true);
}
