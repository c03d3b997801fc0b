using System.Numerics;
using Nethereum.Model;
using Nethereum.RLP;

namespace Keystore.Chains.Ethereum;

/// <summary>
/// Decodes an unsigned serialized transaction as wallets and libraries hand it over (ethers' <c>unsignedSerialized</c>):
/// EIP-155 legacy RLP <c>[nonce, gasPrice, gas, to, value, data, chainId, 0, 0]</c> or typed <c>0x01 ‖ RLP</c> (EIP-2930) / <c>0x02 ‖ RLP</c> (EIP-1559), decoded with Nethereum's RLP. The decoded
/// transaction is validated (<see cref="EthereumTransaction.Validate"/>) and re-encoded; only an input that is exactly that
/// canonical encoding is accepted (no trailing bytes, no non-minimal integers). A signed transaction is refused.
/// The sign route signs what this returns and the policy engine judges the same decoding, so both read one transaction.
/// </summary>
public static class EthereumSerializedTransaction
{
    private const ChainError Problem = ChainError.InvalidTransaction;

    /// <summary>The transaction <paramref name="bytes"/> encode, or <see cref="ChainRequestException"/> (<see cref="ChainError.InvalidTransaction"/>).</summary>
    public static EthereumTransaction Decode(byte[] bytes)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        if (bytes.Length == 0)
            throw new ChainRequestException(Problem, "A serialized transaction cannot be empty.");
        byte type = bytes[0] >= 0xc0 ? (byte)0 : bytes[0];
        if (type > 2)
            throw new ChainRequestException(Problem, $"Transaction type {type} is not supported (0, 1 and 2 are).");
        IRLPElement decoded;
        try
        {
            decoded = RLP.Decode(type == 0 ? bytes : bytes[1..]);
        }
        catch (Exception ex) when (IsDecodingFailure(ex))
        {
            throw new ChainRequestException(Problem, "The serialized transaction is not valid RLP.");
        }
        if (decoded is not RLPCollection fields)
            throw new ChainRequestException(Problem, "A serialized transaction is an RLP list.");
        var transaction = type switch
        {
            0 => Legacy(fields),
            1 => Typed(fields, type, unsignedCount: 8),
            _ => Typed(fields, type, unsignedCount: 9),
        };
        transaction.Validate();
        if (!transaction.EncodeUnsigned().AsSpan().SequenceEqual(bytes))
            throw new ChainRequestException(Problem, "The serialized transaction is not in canonical form (non-minimal integers, trailing bytes or malformed fields).");
        return transaction;
    }

    private static EthereumTransaction Legacy(RLPCollection fields)
    {
        if (fields.Count == 6)
            throw new ChainRequestException(Problem, "This legacy transaction has no chain id (pre-EIP-155); 'chainId' is required (replay protection).");
        if (fields.Count != 9)
            throw new ChainRequestException(Problem, "A legacy transaction has 9 fields (EIP-155).");
        if (!IsEmpty(fields[7]) || !IsEmpty(fields[8]))
            throw new ChainRequestException(Problem, "This transaction is already signed; send the unsigned transaction.");
        return new EthereumTransaction
        {
            Type = 0,
            Nonce = Integer(fields[0]),
            GasPrice = Integer(fields[1]),
            GasLimit = Integer(fields[2]),
            To = Address(fields[3]),
            Value = Integer(fields[4]),
            Data = Bytes(fields[5]),
            ChainId = Integer(fields[6]),
        };
    }

    private static EthereumTransaction Typed(RLPCollection fields, byte type, int unsignedCount)
    {
        if (fields.Count == unsignedCount + 3)
            throw new ChainRequestException(Problem, "This transaction is already signed; send the unsigned transaction.");
        if (fields.Count != unsignedCount)
            throw new ChainRequestException(Problem, $"A type {type} transaction has {unsignedCount} fields.");
        int i = 0;
        var chainId = Integer(fields[i++]);
        var nonce = Integer(fields[i++]);
        BigInteger? gasPrice = null, maxPriority = null, maxFee = null;
        if (type == 1)
        {
            gasPrice = Integer(fields[i++]);
        }
        else
        {
            maxPriority = Integer(fields[i++]);
            maxFee = Integer(fields[i++]);
        }
        var gas = Integer(fields[i++]);
        var to = Address(fields[i++]);
        var value = Integer(fields[i++]);
        var data = Bytes(fields[i++]);
        if (fields[i] is not RLPCollection)
            throw new ChainRequestException(Problem, "The access list is not an RLP list.");
        List<AccessListItem> accessList;
        try
        {
            accessList = AccessListRLPEncoderDecoder.DecodeAccessList(fields[i].RLPData) ?? [];
        }
        catch (Exception ex) when (IsDecodingFailure(ex))
        {
            throw new ChainRequestException(Problem, "The access list is not valid RLP.");
        }
        return new EthereumTransaction
        {
            Type = type,
            ChainId = chainId,
            Nonce = nonce,
            GasPrice = gasPrice,
            MaxPriorityFeePerGas = maxPriority,
            MaxFeePerGas = maxFee,
            GasLimit = gas,
            To = to,
            Value = value,
            Data = data,
            AccessList = [.. accessList.Select(AccessListEntryOf)],
        };
    }

    /// <summary>
    /// Nethereum's RLP decoder reports malformed input as a bare <see cref="Exception"/> ("Invalid RLP") wrapping whatever
    /// failed inside (index, length, overflow, cast); all of them mean hostile or broken input, never a server fault.
    /// </summary>
    private static bool IsDecodingFailure(Exception ex) => ex is not (OutOfMemoryException or ChainRequestException);

    private static AccessListEntry AccessListEntryOf(AccessListItem item)
    {
        string hex = item.Address is null ? "" : item.Address.StartsWith("0x", StringComparison.Ordinal) ? item.Address[2..] : item.Address;
        if (hex.Length != 40 || !hex.All(char.IsAsciiHexDigit))
            throw new ChainRequestException(Problem, "Access list addresses are 20 bytes.");
        return new AccessListEntry(Convert.FromHexString(hex), [.. (item.StorageKeys ?? []).Select(k => k ?? [])]);
    }

    private static bool IsEmpty(IRLPElement element) => element is not RLPCollection && element.RLPData is null;

    private static byte[] Bytes(IRLPElement element) =>
        element is RLPCollection ? throw new ChainRequestException(Problem, "A transaction field that should be bytes is a list.") : element.RLPData ?? [];

    private static BigInteger Integer(IRLPElement element)
    {
        var bytes = Bytes(element);
        if (bytes.Length > 32) throw new ChainRequestException(Problem, "An integer field exceeds 256 bits.");
        return new BigInteger(bytes, isUnsigned: true, isBigEndian: true);
    }

    private static byte[]? Address(IRLPElement element)
    {
        var bytes = Bytes(element);
        if (bytes.Length == 0) return null;
        if (bytes.Length != 20) throw new ChainRequestException(Problem, "'to' must be a 20-byte address.");
        return bytes;
    }
}
