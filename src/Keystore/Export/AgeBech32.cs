namespace Keystore.Export;

/// <summary>
/// Bech32 (BIP173, original checksum constant) as age uses it for recipients: one case throughout, the
/// checksum over the lower-case string, and no 90-character limit. Decoding names the rule a string
/// broke, so a caller learns why their recipient was refused.
/// </summary>
internal static class AgeBech32
{
    private const string Charset = "qpzry9x8gf2tvdw0s3jn54khce6mua7l";
    private const uint ChecksumConstant = 1;
    private const int ChecksumLength = 6;

    public static string Encode(string hrp, ReadOnlySpan<byte> data)
    {
        byte[] values = ToFiveBit(data);
        var chars = new char[hrp.Length + 1 + values.Length + ChecksumLength];
        hrp.CopyTo(chars);
        chars[hrp.Length] = '1';
        for (int i = 0; i < values.Length; i++) chars[hrp.Length + 1 + i] = Charset[values[i]];
        uint checksum = Checksum(hrp, values);
        for (int i = 0; i < ChecksumLength; i++)
            chars[hrp.Length + 1 + values.Length + i] = Charset[(int)((checksum >> (5 * (5 - i))) & 31)];
        return new string(chars);
    }

    /// <summary>Decodes a lower-case Bech32 string into its human-readable part and 8-bit data.</summary>
    public static (string Hrp, byte[] Data) Decode(string text)
    {
        foreach (char c in text)
        {
            if (c is < (char)33 or > (char)126)
                throw new AgeRecipientException("A recipient holds printable ASCII only (no spaces or control characters).");
            if (char.IsAsciiLetterUpper(c))
                throw new AgeRecipientException("A recipient is written in lower case, as age-keygen prints it.");
        }
        int separator = text.LastIndexOf('1');
        if (separator < 1 || text.Length - separator - 1 < ChecksumLength)
            throw new AgeRecipientException("Not Bech32: a recipient is 'age1' followed by its data and a 6-character checksum.");
        string hrp = text[..separator];
        var values = new byte[text.Length - separator - 1];
        for (int i = 0; i < values.Length; i++)
        {
            int index = Charset.IndexOf(text[separator + 1 + i], StringComparison.Ordinal);
            if (index < 0)
                throw new AgeRecipientException($"Not Bech32: '{text[separator + 1 + i]}' is not in the Bech32 alphabet.");
            values[i] = (byte)index;
        }
        if (PolyMod(HrpExpand(hrp), values) != ChecksumConstant)
            throw new AgeRecipientException("The recipient's Bech32 checksum does not match: a character is wrong or missing.");
        return (hrp, FromFiveBit(values.AsSpan(0, values.Length - ChecksumLength)));
    }

    private static uint Checksum(string hrp, ReadOnlySpan<byte> values)
    {
        var padded = new byte[values.Length + ChecksumLength];
        values.CopyTo(padded);
        return PolyMod(HrpExpand(hrp), padded) ^ ChecksumConstant;
    }

    private static byte[] HrpExpand(string hrp)
    {
        var expanded = new byte[hrp.Length * 2 + 1];
        for (int i = 0; i < hrp.Length; i++)
        {
            expanded[i] = (byte)(hrp[i] >> 5);
            expanded[hrp.Length + 1 + i] = (byte)(hrp[i] & 31);
        }
        return expanded;
    }

    private static uint PolyMod(ReadOnlySpan<byte> prefix, ReadOnlySpan<byte> values)
    {
        uint chk = 1;
        Step(prefix, ref chk);
        Step(values, ref chk);
        return chk;

        static void Step(ReadOnlySpan<byte> input, ref uint chk)
        {
            ReadOnlySpan<uint> generator = [0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3];
            foreach (byte v in input)
            {
                uint top = chk >> 25;
                chk = ((chk & 0x1ffffff) << 5) ^ v;
                for (int i = 0; i < 5; i++)
                    if (((top >> i) & 1) != 0) chk ^= generator[i];
            }
        }
    }

    private static byte[] ToFiveBit(ReadOnlySpan<byte> data)
    {
        var output = new List<byte>((data.Length * 8 + 4) / 5);
        int accumulator = 0, bits = 0;
        foreach (byte b in data)
        {
            accumulator = (accumulator << 8) | b;
            bits += 8;
            while (bits >= 5)
            {
                bits -= 5;
                output.Add((byte)((accumulator >> bits) & 31));
            }
        }
        if (bits > 0) output.Add((byte)((accumulator << (5 - bits)) & 31));
        return output.ToArray();
    }

    /// <summary>Regroups 5-bit values into bytes; BIP173 forbids more than 4 bits of padding or non-zero padding.</summary>
    private static byte[] FromFiveBit(ReadOnlySpan<byte> values)
    {
        var output = new List<byte>(values.Length * 5 / 8);
        int accumulator = 0, bits = 0;
        foreach (byte v in values)
        {
            accumulator = ((accumulator << 5) | v) & 0xfff;
            bits += 5;
            if (bits >= 8)
            {
                bits -= 8;
                output.Add((byte)((accumulator >> bits) & 0xff));
            }
        }
        if (bits >= 5 || ((accumulator << (8 - bits)) & 0xff) != 0)
            throw new AgeRecipientException("The recipient's data has invalid Bech32 padding.");
        return output.ToArray();
    }
}
