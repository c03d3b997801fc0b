namespace Keystore.Chains.Tests;

/// <summary>Test keys and request JSON.</summary>
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
