using System.Numerics;
using System.Text;
using Nethereum.ABI.EIP712;
using Nethereum.Util;

namespace Keystore.Chains.Ethereum;

/// <summary>
/// EIP-712 digest <c>keccak256(0x19 0x01 ‖ hashStruct(EIP712Domain, domain) ‖ hashStruct(primaryType, message))</c>
/// over Nethereum's <see cref="TypedDataRaw"/> model. Values are canonical: <see cref="string"/> for string,
/// <c>byte[]</c> for bytes, bytesN and address, <see cref="bool"/>, <see cref="BigInteger"/> for (u)intN,
/// <c>MemberValue[]</c> (in the type's member order) for a struct and <c>object[]</c> for an array.
/// </summary>
/// <remarks>
/// Nethereum's <c>Eip712TypedDataEncoder</c> is not used for the hash: it classifies atomic types with
/// unanchored regular expressions (a struct named <c>Mybytes1</c> is taken for <c>bytes1</c>, a widthless
/// <c>uint</c> for a struct and then fails), which would refuse or mis-hash data ethers signs; its keccak is used.
/// </remarks>
public static class Eip712Hasher
{
    private const ChainError Problem = ChainError.InvalidTypedData;
    public const string DomainType = "EIP712Domain";

    /// <summary>The 32-byte digest an EIP-712 signature covers (the domain separator alone when the primary type is the domain).</summary>
    public static byte[] Digest(TypedDataRaw typedData)
    {
        ArgumentNullException.ThrowIfNull(typedData);
        var hashes = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        var preimage = new byte[66];
        preimage[0] = 0x19;
        preimage[1] = 0x01;
        HashStruct(typedData.Types, hashes, DomainType, typedData.DomainRawValues).CopyTo(preimage, 2);
        if (typedData.PrimaryType == DomainType) return Keccak(preimage.AsSpan(0, 34).ToArray());
        HashStruct(typedData.Types, hashes, typedData.PrimaryType, typedData.Message).CopyTo(preimage, 34);
        return Keccak(preimage);
    }

    private static byte[] Keccak(byte[] data) => Sha3Keccack.Current.CalculateHash(data);

    private static byte[] HashStruct(IDictionary<string, MemberDescription[]> types, Dictionary<string, byte[]> typeHashes, string type, MemberValue[]? values)
    {
        if (!types.TryGetValue(type, out var fields) || values is null || values.Length != fields.Length)
            throw new ChainRequestException(Problem, $"A value of struct type '{type}' does not match its type.");
        var encoded = new byte[32 * (fields.Length + 1)];
        if (!typeHashes.TryGetValue(type, out var typeHash))
            typeHashes[type] = typeHash = Keccak(Encoding.UTF8.GetBytes(EncodeType(types, type)));
        typeHash.CopyTo(encoded, 0);
        for (int i = 0; i < fields.Length; i++)
            EncodeValue(types, typeHashes, fields[i].Type, values[i].Value, encoded.AsSpan(32 * (i + 1), 32));
        return Keccak(encoded);
    }

    /// <summary>encodeType: <c>Primary(member,…)</c> followed by every referenced struct type, sorted by name (ordinal, as in ethers).</summary>
    public static string EncodeType(IDictionary<string, MemberDescription[]> types, string primary)
    {
        var found = new SortedSet<string>(StringComparer.Ordinal);
        CollectDependencies(types, primary, found);
        found.Remove(primary);
        var builder = new StringBuilder();
        foreach (var type in found.Prepend(primary))
        {
            builder.Append(type).Append('(');
            builder.AppendJoin(',', types[type].Select(f => f.Type + " " + f.Name));
            builder.Append(')');
        }
        return builder.ToString();
    }

    private static void CollectDependencies(IDictionary<string, MemberDescription[]> types, string type, SortedSet<string> found)
    {
        if (!types.TryGetValue(type, out var fields) || !found.Add(type)) return;
        foreach (var field in fields) CollectDependencies(types, StripArrays(field.Type), found);
    }

    private static void EncodeValue(IDictionary<string, MemberDescription[]> types, Dictionary<string, byte[]> typeHashes, string type, object? value, Span<byte> output32)
    {
        output32.Clear();
        if (type.EndsWith(']'))
        {
            string elementType = type[..type.LastIndexOf('[')];
            if (value is not object?[] items) throw Mismatch(type);
            var concatenated = new byte[32 * items.Length];
            for (int i = 0; i < items.Length; i++)
                EncodeValue(types, typeHashes, elementType, items[i], concatenated.AsSpan(32 * i, 32));
            Keccak(concatenated).CopyTo(output32);
            return;
        }
        if (types.ContainsKey(type))
        {
            HashStruct(types, typeHashes, type, value as MemberValue[]).CopyTo(output32);
            return;
        }
        switch (type, value)
        {
            case ("string", string text):
                Keccak(Encoding.UTF8.GetBytes(text)).CopyTo(output32);
                return;
            case ("bytes", byte[] bytes):
                Keccak(bytes).CopyTo(output32);
                return;
            case ("bool", bool flag):
                output32[31] = flag ? (byte)1 : (byte)0;
                return;
            case ("address", byte[] { Length: 20 } address):
                address.CopyTo(output32[12..]);
                return;
            case (_, byte[] fixedBytes) when type.StartsWith("bytes", StringComparison.Ordinal) && fixedBytes.Length <= 32:
                fixedBytes.CopyTo(output32);
                return;
            case (_, BigInteger n) when type.Contains("int", StringComparison.Ordinal):
                // Two's complement in 256 bits; the reader checked the range of the declared width.
                var word = n.Sign < 0 ? (BigInteger.One << 256) + n : n;
                if (word.Sign < 0 || word.GetBitLength() > 256) throw Mismatch(type);
                word.TryWriteBytes(output32[(32 - word.GetByteCount(isUnsigned: true))..], out _, isUnsigned: true, isBigEndian: true);
                return;
        }
        throw Mismatch(type);
    }

    private static ChainRequestException Mismatch(string type) => new(Problem, $"A value of type '{type}' does not match its type.");

    private static string StripArrays(string type)
    {
        int bracket = type.IndexOf('[');
        return bracket < 0 ? type : type[..bracket];
    }
}
