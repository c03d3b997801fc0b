using Keystore.Attestation.Quotes;

namespace Keystore.Attestation.Tests;

public class QuoteParserTests
{
    [Fact]
    public void Parses_sample_quote_fields()
    {
        var raw = Vectors.SampleQuote;
        var q = TdxQuote.Parse(raw);
        Assert.Equal(4, q.Header.Version);
        Assert.Equal(0x81u, q.Header.TeeType);
        // Offsets from the TDX quote v4 layout: body fields read at their absolute positions.
        Assert.Equal(raw[184..232], q.Report.MrTd);
        Assert.Equal(raw[520..568], q.Report.Rtmr3);
        Assert.Equal(raw[568..632], q.Report.ReportData);
        Assert.Equal(raw[48..64], q.Report.TeeTcbSvn);
        Assert.Equal(6, QuoteSignatureData.CertTypeQeReport);
        Assert.StartsWith("-----BEGIN CERTIFICATE-----", System.Text.Encoding.ASCII.GetString(q.Signature.PckCertChainPem));
        Assert.Equal(32, q.Signature.QeAuthData.Length);
    }

    [Fact]
    public void Every_truncation_is_a_typed_error()
    {
        var raw = Vectors.SampleQuote;
        var end = TdxQuote.SignedLength + 4 + (int)BitConverter.ToUInt32(raw, TdxQuote.SignedLength);
        for (var len = 0; len < end; len += len < 1200 ? 1 : 37)
        {
            var e = Assert.Throws<QuoteParseException>(() => TdxQuote.Parse(raw.AsSpan(0, len)));
            Assert.False(string.IsNullOrEmpty(e.Field));
        }
    }

    [Fact]
    public void Non_zero_trailing_bytes_are_rejected()
    {
        // The sample ends in zero padding, which is accepted; a non-zero byte there is not.
        var raw = Vectors.SampleQuote;
        raw[^1] = 1;
        var e = Assert.Throws<QuoteParseException>(() => TdxQuote.Parse(raw));
        Assert.Equal("padding", e.Field);
    }

    [Fact]
    public void Oversized_length_fields_are_rejected()
    {
        var raw = Vectors.SampleQuote;
        raw[632] = 0xff; raw[633] = 0xff; raw[634] = 0xff; raw[635] = 0x7f;
        Assert.Equal("signature_data.length", Assert.Throws<QuoteParseException>(() => TdxQuote.Parse(raw)).Field);

        raw = Vectors.SampleQuote;
        // certification data size sits after 636 + 64 sig + 64 key + 2 type
        raw[766] ^= 0x40;
        Assert.Equal("signature_data.certification_data.size", Assert.Throws<QuoteParseException>(() => TdxQuote.Parse(raw)).Field);

        Assert.Equal("quote", Assert.Throws<QuoteParseException>(() => TdxQuote.Parse(new byte[TdxQuote.MaxSize + 1])).Field);
    }

    [Fact]
    public void Wrong_version_or_tee_type_is_rejected()
    {
        var raw = Vectors.SampleQuote; raw[0] = 3;
        Assert.Equal("header.version", Assert.Throws<QuoteParseException>(() => TdxQuote.Parse(raw)).Field);
        raw = Vectors.SampleQuote; raw[4] = 0;
        Assert.Equal("header.tee_type", Assert.Throws<QuoteParseException>(() => TdxQuote.Parse(raw)).Field);
    }

    [Fact]
    public void Decodes_hex_quote_files()
    {
        var raw = Vectors.SampleQuote;
        var hex = System.Text.Encoding.ASCII.GetBytes("0x" + Convert.ToHexStringLower(raw) + "\n");
        Assert.Equal(raw, TdxQuote.DecodeQuoteFile(hex));
        Assert.Equal(raw, TdxQuote.DecodeQuoteFile(raw));
    }
}
