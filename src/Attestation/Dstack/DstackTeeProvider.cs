using System.Text.Json;
using Keystore.Attestation.EventLog;
using Keystore.Attestation.Tee;

namespace Keystore.Attestation.Dstack;

/// <summary>The production <see cref="ITeeProvider"/>: quotes and identity from the dstack guest agent.</summary>
public sealed class DstackTeeProvider(DstackClient client) : ITeeProvider
{
    public string Name => "dstack";
    public bool IsSimulated => false;

    public async Task<TeeQuote> GetQuoteAsync(ReadOnlyMemory<byte> reportData, CancellationToken ct)
    {
        var r = await client.GetQuoteAsync(reportData, ct);
        byte[] quote;
        try { quote = Convert.FromHexString(r.Quote); }
        catch (FormatException e) { throw new DstackClientException("GetQuote", "quote is not hex", inner: e); }
        var padded = new byte[64];
        reportData.Span.CopyTo(padded);
        // The agent zero-pads report data; a quote over anything else would not bind what we asked for.
        bool bound;
        try { Quotes.TdxQuote.Parse(quote, reportData.Span, out bound); }
        catch (Quotes.QuoteParseException e) { throw new DstackClientException("GetQuote", "agent returned a malformed quote", inner: e); }
        if (!bound)
            throw new DstackClientException("GetQuote", "quote report data differs from the requested report data");
        return new TeeQuote(quote, DstackEventLog.Parse(r.EventLog), padded, r.VmConfig);
    }

    public async Task<TeeInfo> GetInfoAsync(CancellationToken ct)
    {
        var r = await client.InfoAsync(ct);
        try
        {
            using var doc = JsonDocument.Parse(r.TcbInfo);
            var t = doc.RootElement;
            string S(string name) => t.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString()! : "";
            var info = new TeeInfo(r.AppId, r.InstanceId, r.AppName ?? "", r.DeviceId ?? S("device_id"),
                r.ComposeHash ?? S("compose_hash"), r.OsImageHash ?? S("os_image_hash"), r.KeyProviderInfo ?? "",
                S("mrtd"), S("rtmr0"), S("rtmr1"), S("rtmr2"), S("rtmr3"), r.TcbInfo);
            return info with { AppCompose = S("app_compose") };
        }
        catch (JsonException e)
        {
            throw new DstackClientException("Info", "tcb_info is not JSON", inner: e);
        }
    }
}
