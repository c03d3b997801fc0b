namespace Keystore.Chains.Bitcoin;

/// <summary>
/// Bech32 (BIP173) and Bech32m (BIP350) strings and segregated witness addresses. Witness
/// version 0 uses Bech32, versions 1–16 (Taproot is 1) use Bech32m.
/// </summary>
public static class Bech32
{
    public enum Variant { Bech32 = 1, Bech32m = 2 }

    private const string Charset = "qpzry9x8gf2tvdw0s3jn54khce6mua7l";
    private const uint Bech32Constant = 1;
    private const uint Bech32mConstant = 0x2bc830a3;
    private const int MaxLength = 90;

    private static readonly sbyte[] CharsetIndex = BuildIndex();

    private static sbyte[] BuildIndex()
    {
        var index = new sbyte[128];
        Array.Fill(index, (sbyte)-1);
        for (int i = 0; i < Charset.Length; i++)
        {
            index[Charset[i]] = (sbyte)i;
            index[char.ToUpperInvariant(Charset[i])] = (sbyte)i;
        }
        return index;
    }

    private static uint PolyMod(ReadOnlySpan<byte> values, uint chk = 1)
    {
        ReadOnlySpan<uint> generator = [0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3];
        foreach (byte v in values)
        {
            uint top = chk >> 25;
            chk = ((chk & 0x1ffffff) << 5) ^ v;
            for (int i = 0; i < 5; i++)
                if (((top >> i) & 1) != 0) chk ^= generator[i];
        }
        return chk;
    }

    private static uint HrpPolyMod(string hrp)
    {
        Span<byte> expanded = stackalloc byte[hrp.Length * 2 + 1];
        for (int i = 0; i < hrp.Length; i++)
        {
            expanded[i] = (byte)(hrp[i] >> 5);
            expanded[hrp.Length + 1 + i] = (byte)(hrp[i] & 31);
        }
        expanded[hrp.Length] = 0;
        return PolyMod(expanded);
    }

    /// <summary>Encodes a lower-case human-readable part and 5-bit values with the given checksum variant.</summary>
    public static string Encode(string hrp, ReadOnlySpan<byte> data5, Variant variant)
    {
        if (hrp.Length is < 1 or > 83 || hrp.Any(c => c is < (char)33 or > (char)126 || char.IsAsciiLetterUpper(c)))
            throw new ArgumentException("The human-readable part is 1–83 printable lower-case characters.", nameof(hrp));
        if (hrp.Length + 1 + data5.Length + 6 > MaxLength) throw new ArgumentException("Bech32 strings are at most 90 characters.");
        Span<byte> values = stackalloc byte[data5.Length + 6];
        data5.CopyTo(values);
        uint chk = PolyMod(values, HrpPolyMod(hrp)) ^ (variant == Variant.Bech32 ? Bech32Constant : Bech32mConstant);
        for (int i = 0; i < 6; i++) values[data5.Length + i] = (byte)((chk >> (5 * (5 - i))) & 31);
        var chars = new char[hrp.Length + 1 + values.Length];
        hrp.CopyTo(chars);
        chars[hrp.Length] = '1';
        for (int i = 0; i < values.Length; i++)
        {
            if (values[i] > 31) throw new ArgumentException("Data values are 5-bit.", nameof(data5));
            chars[hrp.Length + 1 + i] = Charset[values[i]];
        }
        return new string(chars);
    }

    /// <summary>Decodes a Bech32 or Bech32m string; the human-readable part is returned in lower case.</summary>
    public static bool TryDecode(string text, out string hrp, out byte[] data5, out Variant variant)
    {
        hrp = "";
        data5 = [];
        variant = Variant.Bech32;
        if (text.Length > MaxLength) return false;
        bool lower = false, upper = false;
        foreach (char c in text)
        {
            if (c is < (char)33 or > (char)126) return false;
            lower |= char.IsAsciiLetterLower(c);
            upper |= char.IsAsciiLetterUpper(c);
        }
        if (lower && upper) return false;
        int separator = text.LastIndexOf('1');
        if (separator < 1 || separator + 7 > text.Length) return false;
        string lowerText = text.ToLowerInvariant();
        string h = lowerText[..separator];
        var values = new byte[text.Length - separator - 1];
        for (int i = 0; i < values.Length; i++)
        {
            char c = lowerText[separator + 1 + i];
            if (c >= 128 || CharsetIndex[c] < 0) return false;
            values[i] = (byte)CharsetIndex[c];
        }
        uint residue = PolyMod(values, HrpPolyMod(h));
        if (residue == Bech32Constant) variant = Variant.Bech32;
        else if (residue == Bech32mConstant) variant = Variant.Bech32m;
        else return false;
        hrp = h;
        data5 = values[..^6];
        return true;
    }

    /// <summary>Encodes a segregated witness address (BIP173/BIP350).</summary>
    public static string EncodeSegwitAddress(string hrp, int witnessVersion, ReadOnlySpan<byte> program)
    {
        if (witnessVersion is < 0 or > 16 || program.Length is < 2 or > 40 || (witnessVersion == 0 && program.Length is not (20 or 32)))
            throw new ArgumentException("Not a valid witness version and program.");
        Span<byte> data = stackalloc byte[1 + (program.Length * 8 + 4) / 5];
        data[0] = (byte)witnessVersion;
        int written = ConvertBits(program, 8, 5, pad: true, data[1..]);
        return Encode(hrp, data[..(1 + written)], witnessVersion == 0 ? Variant.Bech32 : Variant.Bech32m);
    }

    /// <summary>Decodes a segregated witness address for <paramref name="expectedHrp"/>, enforcing every BIP173/BIP350 rule.</summary>
    public static bool TryDecodeSegwitAddress(string expectedHrp, string address, out int witnessVersion, out byte[] program)
    {
        witnessVersion = -1;
        program = [];
        if (!TryDecode(address, out var hrp, out var data, out var variant) || hrp != expectedHrp || data.Length < 1) return false;
        int version = data[0];
        if (version > 16) return false;
        if ((version == 0) != (variant == Variant.Bech32)) return false;
        var bytes = new byte[(data.Length - 1) * 5 / 8];
        int written = ConvertBits(data.AsSpan(1), 5, 8, pad: false, bytes);
        if (written < 0 || written is < 2 or > 40 || (version == 0 && written is not (20 or 32))) return false;
        witnessVersion = version;
        program = bytes[..written];
        return true;
    }

    /// <summary>Regroups bits; without padding, leftover bits must be fewer than <paramref name="fromBits"/> and zero. Returns the count written or -1.</summary>
    private static int ConvertBits(ReadOnlySpan<byte> input, int fromBits, int toBits, bool pad, Span<byte> output)
    {
        int acc = 0, bits = 0, written = 0;
        int maxValue = (1 << toBits) - 1;
        foreach (byte value in input)
        {
            if (value >> fromBits != 0) return -1;
            acc = (acc << fromBits) | value;
            bits += fromBits;
            while (bits >= toBits)
            {
                bits -= toBits;
                if (written >= output.Length) return -1;
                output[written++] = (byte)((acc >> bits) & maxValue);
            }
        }
        if (pad)
        {
            if (bits > 0)
            {
                if (written >= output.Length) return -1;
                output[written++] = (byte)((acc << (toBits - bits)) & maxValue);
            }
        }
        else if (bits >= fromBits || ((acc << (toBits - bits)) & maxValue) != 0)
        {
            return -1;
        }
        return written;
    }
}
