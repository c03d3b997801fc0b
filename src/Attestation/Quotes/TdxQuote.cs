namespace Keystore.Attestation.Quotes;

/// <summary>A parsed TDX quote v4. <see cref="Raw"/> keeps the exact bytes so signatures are checked over what was received.</summary>
public sealed record TdxQuote(QuoteHeader Header, TdReport Report, QuoteSignatureData Signature, byte[] Raw)
{
    /// <summary>Header plus TD report: the bytes the attestation key signs.</summary>
    public const int SignedLength = QuoteHeader.Size + TdReport.Size;

    /// <summary>Hard cap: a quote carries a few KB of certificates; anything far larger is not a quote.</summary>
    public const int MaxSize = 64 * 1024;

    public ReadOnlySpan<byte> SignedRegion => Raw.AsSpan(0, SignedLength);

    public static TdxQuote Parse(ReadOnlySpan<byte> raw)
    {
        if (raw.Length > MaxSize)
            throw new QuoteParseException("quote", $"{raw.Length} bytes exceeds the {MaxSize}-byte limit");
        var r = new QuoteReader(raw);
        var header = QuoteHeader.Read(ref r);
        if (header.Version != 4)
            throw new QuoteParseException("header.version", $"expected 4, got {header.Version}");
        if (header.TeeType != QuoteHeader.TeeTypeTdx)
            throw new QuoteParseException("header.tee_type", $"expected 0x81 (TDX), got 0x{header.TeeType:x}");
        var report = TdReport.Read(ref r);
        var sigLen = r.U32("signature_data.length");
        if (sigLen > r.Remaining)
            throw new QuoteParseException("signature_data.length", $"declares {sigLen} bytes but {r.Remaining} remain");
        var sigReader = new QuoteReader(r.Take((int)sigLen, "signature_data"));
        var signature = QuoteSignatureData.Read(ref sigReader);
        // Quote generators hand out fixed-size buffers, so zero padding may follow; anything else is smuggled data.
        if (r.Take(r.Remaining, "padding").ContainsAnyExcept((byte)0))
            throw new QuoteParseException("padding", "non-zero bytes follow the signature data");
        return new TdxQuote(header, report, signature, raw.ToArray());
    }

    /// <summary>
    /// Parses a quote asked for over <paramref name="reportData"/> and tells whether it binds it: its report data must be
    /// exactly those bytes zero-padded to 64, as TEEs pad them. A quote over anything else proves nothing about the request.
    /// </summary>
    /// <exception cref="QuoteParseException">The quote is malformed.</exception>
    public static TdxQuote Parse(ReadOnlySpan<byte> raw, ReadOnlySpan<byte> reportData, out bool bindsReportData)
    {
        TdxQuote quote = Parse(raw);
        Span<byte> padded = stackalloc byte[64];
        padded.Clear();
        bindsReportData = reportData.Length <= padded.Length;
        if (bindsReportData)
        {
            reportData.CopyTo(padded);
            bindsReportData = quote.Report.ReportData.AsSpan().SequenceEqual(padded);
        }
        return quote;
    }

    /// <summary>Accepts raw bytes or hex text (with or without 0x), as quote files come both ways.</summary>
    public static byte[] DecodeQuoteFile(byte[] content)
    {
        var text = System.Text.Encoding.ASCII.GetString(content).Trim();
        if (text.StartsWith("0x", StringComparison.OrdinalIgnoreCase)) text = text[2..];
        if (text.Length > 0 && text.Length % 2 == 0 && text.All(Uri.IsHexDigit))
            return Convert.FromHexString(text);
        return content;
    }
}
