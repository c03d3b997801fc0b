using System.Globalization;
using System.Numerics;
using System.Text.Json;
using Keystore.Chains;
using Keystore.Chains.Ethereum;
using Nethereum.ABI.EIP712;

namespace Keystore.Api.ChainRequests;

/// <summary>
/// Reads <c>typedData</c> (<c>{types, primaryType, domain, message}</c>, as <c>eth_signTypedData_v4</c> takes it) strictly into
/// Nethereum's <see cref="TypedDataRaw"/> with canonical values (see <see cref="Eip712Hasher"/>). Every member type must
/// resolve; missing message fields are refused (not encoded as zero) so nothing is signed by accident; integers must fit
/// their declared width, bytesN must have exactly N bytes, arrays of fixed length exactly that many elements. The
/// <c>EIP712Domain</c> type is taken from <c>types</c> when present, otherwise inferred from the domain's fields in the
/// EIP's order (name, version, chainId, verifyingContract, salt).
/// </summary>
internal static class EthereumTypedDataReader
{
    private const ChainError Problem = ChainError.InvalidTypedData;
    private const string DomainType = Eip712Hasher.DomainType;

    private static readonly (string Name, string Type)[] DomainFieldOrder =
    [
        ("name", "string"), ("version", "string"), ("chainId", "uint256"),
        ("verifyingContract", "address"), ("salt", "bytes32"),
    ];

    public static TypedDataRaw Read(JsonElement typedData)
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
        var descriptions = types.ToDictionary(
            t => t.Key, t => t.Value.Select(f => new MemberDescription { Name = f.Name, Type = f.Type }).ToArray(), StringComparer.Ordinal);
        return new TypedDataRaw
        {
            Types = descriptions,
            PrimaryType = primaryType,
            DomainRawValues = Struct(types, DomainType, domain),
            Message = primaryType == DomainType ? [] : Struct(types, primaryType, Required(typedData, "message", JsonValueKind.Object)),
        };
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

    private static MemberValue[] Struct(Dictionary<string, (string Name, string Type)[]> types, string type, JsonElement value)
    {
        if (value.ValueKind != JsonValueKind.Object)
            throw new ChainRequestException(Problem, $"A value of struct type '{type}' must be a JSON object.");
        var fields = types[type];
        var values = new MemberValue[fields.Length];
        for (int i = 0; i < fields.Length; i++)
        {
            var (name, fieldType) = fields[i];
            if (!value.TryGetProperty(name, out var member) || member.ValueKind == JsonValueKind.Null)
                throw new ChainRequestException(Problem, $"'{type}.{name}' is missing.");
            values[i] = new MemberValue { TypeName = fieldType, Value = Value(types, fieldType, member, $"{type}.{name}") };
        }
        return values;
    }

    private static object Value(Dictionary<string, (string Name, string Type)[]> types, string type, JsonElement value, string path)
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
            var items = new object?[count];
            int i = 0;
            foreach (var element in value.EnumerateArray())
            {
                items[i] = Value(types, elementType, element, $"{path}[{i}]");
                i++;
            }
            return items;
        }
        if (types.ContainsKey(type)) return Struct(types, type, value);
        return Atomic(type, value, path);
    }

    private static object Atomic(string type, JsonElement value, string path)
    {
        switch (type)
        {
            case "string":
                if (value.ValueKind != JsonValueKind.String) throw Bad(path, "a string");
                return value.GetString()!;
            case "bytes":
                return HexBytes(value, path);
            case "bool":
                if (value.ValueKind is not (JsonValueKind.True or JsonValueKind.False)) throw Bad(path, "true or false");
                return value.ValueKind == JsonValueKind.True;
            case "address":
                if (value.ValueKind != JsonValueKind.String || !EthereumAddress.TryParse(value.GetString()!, out var address))
                    throw Bad(path, "a 20-byte address");
                return address;
        }
        if (TryBytesWidth(type, out int width))
        {
            var bytes = HexBytes(value, path);
            if (bytes.Length != width) throw Bad(path, $"exactly {width} bytes");
            return bytes;
        }
        if (TryIntegerWidth(type, out bool signed, out int bits))
        {
            var n = Integer(value, path);
            var min = signed ? -(BigInteger.One << (bits - 1)) : BigInteger.Zero;
            var max = signed ? (BigInteger.One << (bits - 1)) - 1 : (BigInteger.One << bits) - 1;
            if (n < min || n > max) throw Bad(path, $"within the range of {type}");
            return n;
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
        if (value.ValueKind != JsonValueKind.String || !EthereumRequestJson.TryParseHexData(value.GetString()!, out var bytes))
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
