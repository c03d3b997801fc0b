namespace Keystore.Chains.Tests;

internal static class TestSupport
{
    /// <summary>Path of a file copied from Vectors/ to the output folder.</summary>
    public static string Vector(string name) => Path.Combine(AppContext.BaseDirectory, "Vectors", name);

    public static byte[] Hex(string hex) => Convert.FromHexString(hex.StartsWith("0x", StringComparison.Ordinal) ? hex[2..] : hex);

    public static string ToHex(ReadOnlySpan<byte> bytes) => Convert.ToHexStringLower(bytes);
}

internal static class Keys
{
    public static SigningKey Secp256k1Key(string privateKeyHex)
    {
        var sk = TestSupport.Hex(privateKeyHex);
        var pub = new byte[33];
        Secp256k1.GetPublicKey(sk, pub);
        return new SigningKey(KeyCurve.Secp256k1, sk, pub);
    }

    public static SigningKey Ed25519Key(string seedHex)
    {
        var seed = TestSupport.Hex(seedHex);
        using var key = NSec.Cryptography.Key.Import(NSec.Cryptography.SignatureAlgorithm.Ed25519, seed, NSec.Cryptography.KeyBlobFormat.RawPrivateKey);
        var pub = key.PublicKey.Export(NSec.Cryptography.KeyBlobFormat.RawPublicKey);
        return new SigningKey(KeyCurve.Ed25519, seed, pub);
    }

    public static System.Text.Json.JsonElement Json(string json) => System.Text.Json.JsonDocument.Parse(json).RootElement;
}
