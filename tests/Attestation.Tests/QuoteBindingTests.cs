using Keystore.Attestation.Quotes;
using Keystore.Attestation.Simulator;

namespace Keystore.Attestation.Tests;

/// <summary>One rule for "this quote binds what was asked for", used by the dstack provider and the keystore's attest step.</summary>
public sealed class QuoteBindingTests
{
    [Fact]
    public async Task A_quote_binds_its_report_data_zero_padded_to_64_bytes_and_nothing_else()
    {
        var sim = new SimulatedTdxProvider(SimulatedTdxOptions.LocalDevelopment);
        byte[] asked = Enumerable.Range(1, 32).Select(i => (byte)i).ToArray();
        byte[] raw = (await sim.GetQuoteAsync(asked, CancellationToken.None)).Quote;

        TdxQuote parsed = TdxQuote.Parse(raw, asked, out bool bound);
        Assert.True(bound);
        Assert.Equal(TdxQuote.Parse(raw).Report.ReportData, parsed.Report.ReportData);
        Assert.True(TdxQuote.Parse(raw, [.. asked, .. new byte[32]], out bool padded) is not null && padded);

        byte[] other = (byte[])asked.Clone();
        other[31] ^= 1;
        TdxQuote.Parse(raw, other, out bool otherBound);
        Assert.False(otherBound);
        // The same bytes with something after them where the TEE padded zeros.
        TdxQuote.Parse(raw, [.. asked, 1], out bool longer);
        Assert.False(longer);
        TdxQuote.Parse(raw, new byte[65], out bool tooLong);
        Assert.False(tooLong);
        Assert.Throws<QuoteParseException>(() => TdxQuote.Parse(raw.AsSpan(0, 100), asked, out _));
    }
}
