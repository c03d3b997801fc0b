using System.Text.Json;
using System.Text.Json.Serialization;

namespace Keystore.Attestation.Collateral;

/// <summary>Byte fields travel as lowercase hex strings in dcap-qvl's collateral JSON.</summary>
public sealed class HexBytesConverter : JsonConverter<byte[]>
{
    public override byte[] Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var s = reader.GetString() ?? throw new JsonException("hex string expected");
        if (s.StartsWith("0x", StringComparison.OrdinalIgnoreCase)) s = s[2..];
        try { return Convert.FromHexString(s); }
        catch (FormatException) { throw new JsonException("invalid hex string"); }
    }

    public override void Write(Utf8JsonWriter writer, byte[] value, JsonSerializerOptions options) =>
        writer.WriteStringValue(Convert.ToHexStringLower(value));
}
