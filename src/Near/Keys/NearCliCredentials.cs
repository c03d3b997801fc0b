using System.Text.Json;

namespace Keystore.Near.Keys;

/// <summary>Reads a NEAR CLI credentials file (<c>{"account_id","public_key","private_key"}</c>) without echoing its secret.</summary>
public static class NearCliCredentials
{
    public static Ed25519KeyPair Load(string path, string expectedAccountId)
    {
        using JsonDocument doc = JsonDocument.Parse(File.ReadAllText(path));
        JsonElement root = doc.RootElement;
        if (root.TryGetProperty("account_id", out JsonElement account) && account.GetString() is { } id && id != expectedAccountId)
            throw new FormatException($"The credentials file '{path}' is for '{id}', not '{expectedAccountId}'.");
        string secret = (root.TryGetProperty("private_key", out JsonElement key) ? key.GetString() : null)
            ?? throw new FormatException($"The credentials file '{path}' has no private_key.");
        try
        {
            return Ed25519KeyPair.ParseSecretKey(secret);
        }
        catch (FormatException)
        {
            // Never include the value: it is a secret key.
            throw new FormatException($"The private_key in '{path}' is not a NEAR ed25519 secret key.");
        }
    }
}
