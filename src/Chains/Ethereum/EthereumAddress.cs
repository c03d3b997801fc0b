using System.Text;

namespace Keystore.Chains.Ethereum;

/// <summary>20-byte Ethereum addresses: derivation from a public key and EIP-55 mixed-case checksum.</summary>
public static class EthereumAddress
{
    /// <summary>keccak256(x ‖ y)[12..] for a 33-byte compressed or 65-byte uncompressed key.</summary>
    public static byte[] FromPublicKey(ReadOnlySpan<byte> publicKey)
    {
        Span<byte> full = stackalloc byte[65];
        Span<byte> compressed = stackalloc byte[33];
        bool valid = publicKey.Length == 33
            ? Secp256k1.TryDecompress(publicKey, full)
            : Secp256k1.TryCompress(publicKey, compressed) && Secp256k1.TryDecompress(compressed, full);
        if (!valid) throw new ArgumentException("Not a valid secp256k1 public key.", nameof(publicKey));
        Span<byte> hash = stackalloc byte[32];
        Keccak256.Hash(full[1..], hash);
        return hash[12..].ToArray();
    }

    /// <summary>EIP-55: hex digit i is upper case when nibble i of keccak256(lowercase hex) is ≥ 8.</summary>
    public static string ToChecksum(ReadOnlySpan<byte> address20)
    {
        if (address20.Length != 20) throw new ArgumentException("An address is 20 bytes.", nameof(address20));
        string lower = Convert.ToHexStringLower(address20);
        Span<byte> hash = stackalloc byte[32];
        Keccak256.Hash(Encoding.ASCII.GetBytes(lower), hash);
        Span<char> chars = stackalloc char[42];
        chars[0] = '0';
        chars[1] = 'x';
        for (int i = 0; i < 40; i++)
        {
            int nibble = (i & 1) == 0 ? hash[i / 2] >> 4 : hash[i / 2] & 0xf;
            chars[2 + i] = nibble >= 8 ? char.ToUpperInvariant(lower[i]) : lower[i];
        }
        return new string(chars);
    }

    /// <summary>
    /// Parses <c>0x</c> + 40 hex digits. All-lower or all-upper case is accepted as unchecksummed;
    /// mixed case must be a correct EIP-55 checksum (a typo in a checksummed address is caught).
    /// </summary>
    public static bool TryParse(string text, out byte[] address)
    {
        address = [];
        if (text.Length != 42 || !text.StartsWith("0x", StringComparison.Ordinal)) return false;
        var hex = text.AsSpan(2);
        foreach (char c in hex)
            if (!char.IsAsciiHexDigit(c)) return false;
        var bytes = Convert.FromHexString(hex);
        bool hasLower = hex.ContainsAny("abcdef");
        bool hasUpper = hex.ContainsAny("ABCDEF");
        if (hasLower && hasUpper && ToChecksum(bytes) != text) return false;
        address = bytes;
        return true;
    }
}
