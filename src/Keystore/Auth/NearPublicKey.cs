using Keystore.Near.Encoding;
using Keystore.Chains;

namespace Keystore.Auth;

/// <summary>NEAR's textual ed25519 public key: <c>ed25519:&lt;base58 of 32 bytes&gt;</c>.</summary>
public static class NearPublicKey
{
    private const string Ed25519Prefix = "ed25519:";

    public static bool TryParseEd25519(string? text, out byte[] publicKey)
    {
        publicKey = [];
        if (text is null || !text.StartsWith(Ed25519Prefix, StringComparison.Ordinal))
            return false;
        if (!Base58.TryDecode(text[Ed25519Prefix.Length..], out byte[] bytes) || bytes.Length != 32)
            return false;
        publicKey = bytes;
        return true;
    }

    public static string FormatEd25519(ReadOnlySpan<byte> publicKey) => Ed25519Prefix + Base58.Encode(publicKey);
}
