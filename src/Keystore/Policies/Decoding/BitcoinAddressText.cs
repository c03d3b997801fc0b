using System.Security.Cryptography;
using Keystore.Near.Encoding;

namespace Keystore.Policies.Decoding;

/// <summary>
/// The address an output script pays, in the network's encoding: segwit v0 in bech32 (BIP173), v1+ in bech32m
/// (BIP350), P2PKH and P2SH in base58check; null for any other script.
/// </summary>
internal static class BitcoinAddressText
{
    private const string Charset = "qpzry9x8gf2tvdw0s3jn54khce6mua7l";

    public static string? FromScript(ReadOnlySpan<byte> script, BitcoinAddressNetwork network)
    {
        string hrp = network switch { BitcoinAddressNetwork.Mainnet => "bc", BitcoinAddressNetwork.Testnet => "tb", _ => "bcrt" };
        bool mainnet = network == BitcoinAddressNetwork.Mainnet;
        // Witness programs: OP_0 or OP_1..OP_16, then one push of 2 to 40 bytes (v0: 20 or 32).
        if (script.Length >= 4 && (script[0] == 0 || script[0] is >= 0x51 and <= 0x60) && script[1] == script.Length - 2 && script[1] is >= 2 and <= 40)
        {
            int version = script[0] == 0 ? 0 : script[0] - 0x50;
            if (version == 0 && script[1] is not (20 or 32)) return null;
            return Segwit(hrp, version, script[2..]);
        }
        if (script.Length == 25 && script[0] == 0x76 && script[1] == 0xa9 && script[2] == 20 && script[23] == 0x88 && script[24] == 0xac)
            return Base58Check(mainnet ? (byte)0x00 : (byte)0x6f, script.Slice(3, 20));
        if (script.Length == 23 && script[0] == 0xa9 && script[1] == 20 && script[22] == 0x87)
            return Base58Check(mainnet ? (byte)0x05 : (byte)0xc4, script.Slice(2, 20));
        return null;
    }

    private static string Base58Check(byte version, ReadOnlySpan<byte> hash)
    {
        Span<byte> payload = stackalloc byte[25];
        payload[0] = version;
        hash.CopyTo(payload[1..]);
        Span<byte> check = stackalloc byte[32];
        SHA256.HashData(SHA256.HashData(payload[..21]), check);
        check[..4].CopyTo(payload[21..]);
        return Base58.Encode(payload);
    }

    private static string Segwit(string hrp, int version, ReadOnlySpan<byte> program)
    {
        var data = new List<byte> { (byte)version };
        int accumulator = 0, bits = 0;
        foreach (byte b in program)
        {
            accumulator = (accumulator << 8) | b;
            bits += 8;
            while (bits >= 5)
            {
                bits -= 5;
                data.Add((byte)((accumulator >> bits) & 31));
            }
        }
        if (bits > 0) data.Add((byte)((accumulator << (5 - bits)) & 31));
        uint constant = version == 0 ? 1u : 0x2bc830a3u;
        var values = new List<byte>();
        foreach (char c in hrp) values.Add((byte)(c >> 5));
        values.Add(0);
        foreach (char c in hrp) values.Add((byte)(c & 31));
        values.AddRange(data);
        values.AddRange([0, 0, 0, 0, 0, 0]);
        uint polymod = Polymod(values) ^ constant;
        var result = new System.Text.StringBuilder(hrp).Append('1');
        foreach (byte d in data) result.Append(Charset[d]);
        for (int i = 0; i < 6; i++) result.Append(Charset[(int)((polymod >> (5 * (5 - i))) & 31)]);
        return result.ToString();
    }

    private static uint Polymod(List<byte> values)
    {
        uint[] generator = [0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3];
        uint chk = 1;
        foreach (byte v in values)
        {
            uint top = chk >> 25;
            chk = ((chk & 0x1ffffff) << 5) ^ v;
            for (int i = 0; i < 5; i++)
                if (((top >> i) & 1) != 0) chk ^= generator[i];
        }
        return chk;
    }
}
