namespace Keystore.Chains.Tests;

/// <summary>Test keys and request JSON.</summary>
internal static class Keys
{
    public static SigningKey Secp256k1Key(string privateKeyHex) => new(KeyCurve.Secp256k1, TestSupport.Hex(privateKeyHex));

    public static SigningKey Ed25519Key(string seedHex) => new(KeyCurve.Ed25519, TestSupport.Hex(seedHex));

    public static System.Text.Json.JsonElement Json(string json) => System.Text.Json.JsonDocument.Parse(json).RootElement;
}
