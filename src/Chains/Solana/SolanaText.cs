namespace Keystore.Chains.Solana;

/// <summary>Serialized messages and transactions as text, in either <see cref="SolanaTextEncoding"/>.</summary>
public static class SolanaText
{
    /// <summary>The encoding named <c>base64</c> or <c>base58</c> (exactly, lower case), as requests spell it.</summary>
    public static bool TryParseEncoding(string? name, out SolanaTextEncoding encoding)
    {
        (bool known, encoding) = name switch
        {
            "base64" => (true, SolanaTextEncoding.Base64),
            "base58" => (true, SolanaTextEncoding.Base58),
            _ => (false, SolanaTextEncoding.Base64),
        };
        return known;
    }

    public static string Name(SolanaTextEncoding encoding) => encoding == SolanaTextEncoding.Base58 ? "base58" : "base64";

    /// <summary>The bytes of <paramref name="text"/>; false for text that is not in <paramref name="encoding"/>.</summary>
    public static bool TryDecode(string? text, SolanaTextEncoding encoding, out byte[] bytes)
    {
        bytes = [];
        if (text is null) return false;
        if (encoding == SolanaTextEncoding.Base58) return Base58.TryDecode(text, out bytes);
        try
        {
            bytes = Convert.FromBase64String(text);
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }

    public static string Encode(ReadOnlySpan<byte> bytes, SolanaTextEncoding encoding) =>
        encoding == SolanaTextEncoding.Base58 ? Base58.Encode(bytes) : Convert.ToBase64String(bytes);
}
