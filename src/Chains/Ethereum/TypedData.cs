using System.Globalization;
using System.Numerics;
using System.Text;
using System.Text.Json;

namespace Keystore.Chains.Ethereum;

/// <summary>
/// EIP-712 typed structured data: <c>keccak256(0x19 0x01 ‖ domainSeparator ‖ hashStruct(message))</c>.
/// Implements encodeType (primary type then referenced struct types sorted by name), atomic,
/// dynamic (string, bytes), array (fixed and dynamic, nested) and struct members. The
/// <c>EIP712Domain</c> type is taken from <c>types</c> when present, otherwise inferred from the
/// domain's fields in the EIP's order (name, version, chainId, verifyingContract, salt).
/// Missing message fields are rejected (not encoded as zero) so nothing is signed by accident.
/// </summary>
public sealed class TypedData
{
    private const ChainError Problem = ChainError.InvalidTypedData;
    private const string DomainType = "EIP712Domain";

    private static readonly (string Name, string Type)[] DomainFieldOrder =
    [
        ("name", "string"), ("version", "string"), ("chainId", "uint256"),
        ("verifyingContract", "address"), ("salt", "bytes32"),
    ];

    private readonly Dictionary<string, (string Name, string Type)[]> _types;
    // typeHash per struct type: arrays of structs would otherwise re-encode the type for every element.
    private readonly Dictionary<string, byte[]> _typeHashes = new(StringComparer.Ordinal);

    private TypedData(Dictionary<string, (string Name, string Type)[]> types) => _types = types;

    /// <summary>The 32-byte digest an EIP-712 signature covers.</summary>
    public static byte[] Digest(JsonElement typedData)
    {
        if (typedData.ValueKind != JsonValueKind.Object)
            throw new ChainRequestException(Problem, "'typedData' must be an object with types, primaryType, domain and message.");
        var typesElement = Required(typedData, "types", JsonValueKind.Object);
        var primaryType = Required(typedData, "primaryType", JsonValueKind.String).GetString()!;
        var domain = Required(typedData, "domain", JsonValueKind.Object);

        var types = ParseTypes(typesElement);
        if (!types.ContainsKey(DomainType)) types[DomainType] = InferDomainType(domain);
        if (!types.ContainsKey(primaryType))
            throw new ChainRequestException(Problem, $"primaryType '{primaryType}' is not defined in types.");
        var typed = new TypedData(types);

        Span<byte> preimage = stackalloc byte[66];
        preimage[0] = 0x19;
        preimage[1] = 0x01;
        typed.HashStruct(DomainType, domain).CopyTo(preimage[2..]);
        if (primaryType == DomainType)
            return Keccak256.Hash(preimage[..34]);
        var message = Required(typedData, "message", JsonValueKind.Object);
        typed.HashStruct(primaryType, message).CopyTo(preimage[34..]);
        return Keccak256.Hash(preimage);
    }

    private static JsonElement Required(JsonElement obj, string name, JsonValueKind kind)
    {
        if (!obj.TryGetProperty(name, out var value) || value.ValueKind != kind)
            throw new ChainRequestException(Problem, $"typedData.{name} must be a JSON {kind.ToString().ToLowerInvariant()}.");
        return value;
    }

    private static Dictionary<string, (string Name, string Type)[]> ParseTypes(JsonElement typesElement)
    {
        var types = new Dictionary<string, (string, string)[]>(StringComparer.Ordinal);
        foreach (var type in typesElement.EnumerateObject())
        {
            if (!IsIdentifier(type.Name) || IsAtomicOrDynamic(type.Name))
                throw new ChainRequestException(Problem, $"'{type.Name}' is not a valid struct type name.");
            if (type.Value.ValueKind != JsonValueKind.Array)
                throw new ChainRequestException(Problem, $"types.{type.Name} must be an array of {{name, type}}.");
            var fields = new List<(string, string)>();
            var names = new HashSet<string>(StringComparer.Ordinal);
            foreach (var field in type.Value.EnumerateArray())
            {
                if (field.ValueKind != JsonValueKind.Object
                    || !field.TryGetProperty("name", out var n) || n.ValueKind != JsonValueKind.String
                    || !field.TryGetProperty("type", out var t) || t.ValueKind != JsonValueKind.String)
                    throw new ChainRequestException(Problem, $"types.{type.Name} members must be {{name, type}} strings.");
                if (!IsIdentifier(n.GetString()!) || !names.Add(n.GetString()!))
                    throw new ChainRequestException(Problem, $"types.{type.Name} has an invalid or duplicate member name.");
                fields.Add((n.GetString()!, t.GetString()!));
            }
            if (!types.TryAdd(type.Name, [.. fields]))
                throw new ChainRequestException(Problem, $"Type '{type.Name}' is defined twice.");
        }
        // Every member type must resolve before anything is hashed.
        foreach (var (name, fields) in types)
            foreach (var (_, fieldType) in fields)
                ValidateType(types, StripArrays(fieldType), name);
        return types;
    }

    private static void ValidateType(Dictionary<string, (string, string)[]> types, string baseType, string owner)
    {
        if (types.ContainsKey(baseType) || IsAtomicOrDynamic(baseType)) return;
        throw new ChainRequestException(Problem, $"Type '{baseType}' used in '{owner}' is not defined.");
    }

    private static (string Name, string Type)[] InferDomainType(JsonElement domain)
    {
        var known = DomainFieldOrder.Select(f => f.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var property in domain.EnumerateObject())
            if (!known.Contains(property.Name))
                throw new ChainRequestException(Problem, $"Unknown domain field '{property.Name}'; declare EIP712Domain in types to use it.");
        return DomainFieldOrder.Where(f => domain.TryGetProperty(f.Name, out var v) && v.ValueKind != JsonValueKind.Null).ToArray();
    }

    private byte[] HashStruct(string type, JsonElement value)
    {
        if (value.ValueKind != JsonValueKind.Object)
            throw new ChainRequestException(Problem, $"A value of struct type '{type}' must be a JSON object.");
        var fields = _types[type];
        var encoded = new byte[32 * (fields.Length + 1)];
        if (!_typeHashes.TryGetValue(type, out var typeHash))
            _typeHashes[type] = typeHash = Keccak256.Hash(Encoding.UTF8.GetBytes(EncodeType(type)));
        typeHash.CopyTo(encoded, 0);
        for (int i = 0; i < fields.Length; i++)
        {
            var (name, fieldType) = fields[i];
            if (!value.TryGetProperty(name, out var member) || member.ValueKind == JsonValueKind.Null)
                throw new ChainRequestException(Problem, $"'{type}.{name}' is missing.");
            EncodeValue(fieldType, member, $"{type}.{name}", encoded.AsSpan(32 * (i + 1), 32));
        }
        return Keccak256.Hash(encoded);
    }

    /// <summary>encodeType: <c>Primary(member,…)</c> followed by every referenced struct type, sorted by name.</summary>
    internal string EncodeType(string primary)
    {
        var found = new SortedSet<string>(StringComparer.Ordinal);
        CollectDependencies(primary, found);
        found.Remove(primary);
        var builder = new StringBuilder();
        foreach (var type in found.Prepend(primary))
        {
            builder.Append(type).Append('(');
            builder.AppendJoin(',', _types[type].Select(f => f.Type + " " + f.Name));
            builder.Append(')');
        }
        return builder.ToString();
    }

    private void CollectDependencies(string type, SortedSet<string> found)
    {
        if (!_types.TryGetValue(type, out var fields) || !found.Add(type)) return;
        foreach (var (_, fieldType) in fields) CollectDependencies(StripArrays(fieldType), found);
    }

    private void EncodeValue(string type, JsonElement value, string path, Span<byte> output32)
    {
        if (type.EndsWith(']'))
        {
            int open = type.LastIndexOf('[');
            string elementType = type[..open];
            string length = type[(open + 1)..^1];
            if (value.ValueKind != JsonValueKind.Array)
                throw new ChainRequestException(Problem, $"'{path}' must be an array.");
            int count = value.GetArrayLength();
            if (length.Length > 0 && (!int.TryParse(length, NumberStyles.None, CultureInfo.InvariantCulture, out int fixedLength) || fixedLength != count))
                throw new ChainRequestException(Problem, $"'{path}' must have exactly {length} elements.");
            var concatenated = new byte[32 * count];
            int i = 0;
            foreach (var element in value.EnumerateArray())
            {
                EncodeValue(elementType, element, $"{path}[{i}]", concatenated.AsSpan(32 * i, 32));
                i++;
            }
            Keccak256.Hash(concatenated, output32);
            return;
        }
        if (_types.ContainsKey(type))
        {
            HashStruct(type, value).CopyTo(output32);
            return;
        }
        EncodeAtomic(type, value, path, output32);
    }

    private static void EncodeAtomic(string type, JsonElement value, string path, Span<byte> output32)
    {
        output32.Clear();
        switch (type)
        {
            case "string":
                if (value.ValueKind != JsonValueKind.String) throw Bad(path, "a string");
                Keccak256.Hash(Encoding.UTF8.GetBytes(value.GetString()!), output32);
                return;
            case "bytes":
                Keccak256.Hash(HexBytes(value, path), output32);
                return;
            case "bool":
                if (value.ValueKind is not (JsonValueKind.True or JsonValueKind.False)) throw Bad(path, "true or false");
                output32[31] = value.ValueKind == JsonValueKind.True ? (byte)1 : (byte)0;
                return;
            case "address":
                if (value.ValueKind != JsonValueKind.String || !EthereumAddress.TryParse(value.GetString()!, out var address))
                    throw Bad(path, "a 20-byte address");
                address.CopyTo(output32[12..]);
                return;
        }
        if (TryBytesWidth(type, out int width))
        {
            var bytes = HexBytes(value, path);
            if (bytes.Length != width) throw Bad(path, $"exactly {width} bytes");
            bytes.CopyTo(output32);
            return;
        }
        if (TryIntegerWidth(type, out bool signed, out int bits))
        {
            var n = Integer(value, path);
            var min = signed ? -(BigInteger.One << (bits - 1)) : BigInteger.Zero;
            var max = signed ? (BigInteger.One << (bits - 1)) - 1 : (BigInteger.One << bits) - 1;
            if (n < min || n > max) throw Bad(path, $"within the range of {type}");
            // Two's complement in 256 bits.
            var word = n.Sign < 0 ? (BigInteger.One << 256) + n : n;
            word.TryWriteBytes(output32[(32 - word.GetByteCount(isUnsigned: true))..], out _, isUnsigned: true, isBigEndian: true);
            return;
        }
        throw new ChainRequestException(Problem, $"Type '{type}' of '{path}' is not supported.");
    }

    private static BigInteger Integer(JsonElement value, string path)
    {
        string text = value.ValueKind switch
        {
            JsonValueKind.Number => value.GetRawText(),
            JsonValueKind.String => value.GetString()!,
            _ => throw Bad(path, "an integer"),
        };
        if (text.StartsWith("0x", StringComparison.OrdinalIgnoreCase))
        {
            var hex = text.AsSpan(2);
            if (hex.Length == 0 || hex.Length > 64 || hex.ContainsAnyExcept("0123456789abcdefABCDEF")) throw Bad(path, "an integer");
            return BigInteger.Parse("0" + hex.ToString(), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture);
        }
        var digits = text.StartsWith('-') ? text.AsSpan(1) : text.AsSpan();
        if (digits.Length == 0 || digits.Length > 78 || digits.ContainsAnyExcept("0123456789")) throw Bad(path, "an integer (no fraction or exponent)");
        return BigInteger.Parse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
    }

    private static byte[] HexBytes(JsonElement value, string path)
    {
        if (value.ValueKind != JsonValueKind.String || !EthereumJson.TryParseHexData(value.GetString()!, out var bytes))
            throw Bad(path, "0x hex bytes");
        return bytes;
    }

    private static ChainRequestException Bad(string path, string expected) => new(Problem, $"'{path}' must be {expected}.");

    private static string StripArrays(string type)
    {
        int bracket = type.IndexOf('[');
        return bracket < 0 ? type : type[..bracket];
    }

    private static bool IsAtomicOrDynamic(string type) =>
        type is "string" or "bytes" or "bool" or "address" || TryBytesWidth(type, out _) || TryIntegerWidth(type, out _, out _);

    private static bool TryBytesWidth(string type, out int width)
    {
        width = 0;
        return type.StartsWith("bytes", StringComparison.Ordinal) && type.Length > 5
            && int.TryParse(type.AsSpan(5), NumberStyles.None, CultureInfo.InvariantCulture, out width)
            && width is >= 1 and <= 32 && type[5] != '0';
    }

    private static bool TryIntegerWidth(string type, out bool signed, out int bits)
    {
        signed = !type.StartsWith('u');
        bits = 0;
        var rest = type.AsSpan(signed ? 0 : 1);
        if (!rest.StartsWith("int")) return false;
        rest = rest[3..];
        if (rest.Length == 0)
        {
            bits = 256;
            return true;
        }
        return rest[0] != '0' && int.TryParse(rest, NumberStyles.None, CultureInfo.InvariantCulture, out bits) && bits is >= 8 and <= 256 && bits % 8 == 0;
    }

    private static bool IsIdentifier(string name) =>
        name.Length > 0 && !char.IsAsciiDigit(name[0]) && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '$');
}
