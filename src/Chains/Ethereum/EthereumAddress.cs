using Nethereum.Util;

namespace Keystore.Chains.Ethereum;

/// <summary>20-byte Ethereum addresses: derivation from a public key (Nethereum's Keccak) and EIP-55 (Nethereum's <see cref="AddressUtil"/>).</summary>
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
        return Sha3Keccack.Current.CalculateHash(full[1..].ToArray())[12..];
    }

    /// <summary>EIP-55 mixed-case checksum of a 20-byte address.</summary>
    public static string ToChecksum(ReadOnlySpan<byte> address20)
    {
        if (address20.Length != 20) throw new ArgumentException("An address is 20 bytes.", nameof(address20));
        return AddressUtil.Current.ConvertToChecksumAddress(address20.ToArray());
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
        if (hasLower && hasUpper && !string.Equals(ToChecksum(bytes), text, StringComparison.Ordinal)) return false;
        address = bytes;
        return true;
    }
}
