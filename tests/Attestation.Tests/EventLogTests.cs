using System.Text.Json;
using Keystore.Attestation.EventLog;
using Keystore.Attestation.Quotes;

namespace Keystore.Attestation.Tests;

public class EventLogTests
{
    [Fact]
    public void Replay_with_digests_matches_quote_v055()
    {
        var quote = TdxQuote.Parse(TdxQuote.DecodeQuoteFile(Vectors.Bytes("quote_v055.hex")));
        var log = DstackEventLog.Parse(Vectors.Text("eventlog_v055.json"));
        Assert.StartsWith("6d1a3da9", Convert.ToHexStringLower(quote.Report.Rtmr3));
        Assert.Equal(quote.Report.Rtmr3, log.VerifyRtmr3(quote.Report.Rtmr3));
        Assert.NotNull(log.ComposeHash);
        Assert.Equal(32, log.ComposeHash!.Length);
        Assert.Equal(20, log.AppId!.Length);
        Assert.Contains("\"kms\"", log.KeyProvider);
    }

    [Fact]
    public void Replay_with_stripped_digests_matches_tdx_lite()
    {
        using var doc = JsonDocument.Parse(Vectors.Text("tdx-lite-getquote.json"));
        var quote = TdxQuote.Parse(Convert.FromHexString(doc.RootElement.GetProperty("quote").GetString()!));
        var log = DstackEventLog.Parse(doc.RootElement.GetProperty("event_log").GetString()!);
        Assert.All(log.Entries.Where(e => e.Imr == 3), e => Assert.Empty(e.Digest));
        Assert.StartsWith("6f24c170", Convert.ToHexStringLower(quote.Report.Rtmr3));
        Assert.Equal(quote.Report.Rtmr3, log.VerifyRtmr3(quote.Report.Rtmr3));
        Assert.Equal(Convert.FromHexString("86b0e55f2fa8e4fb69d890f14f54d5612707646e2573d54e0d2ddaaade77caa9"), log.ComposeHash);
    }

    [Fact]
    public void Tampered_payload_with_honest_digest_names_the_event()
    {
        var json = Vectors.Text("eventlog_v055.json").Replace("\"ea549f02e1a25fabd1cb788380e033ec5461b2ffe4328d753642cf035452e48b\"", "\"00549f02e1a25fabd1cb788380e033ec5461b2ffe4328d753642cf035452e48b\"");
        var log = DstackEventLog.Parse(json);
        var i = log.Entries.ToList().FindIndex(e => e.Event == "compose-hash");
        var e = Assert.Throws<EventLogException>(() => log.Replay(3));
        Assert.Equal(i, e.Index);
        Assert.Equal("compose-hash", e.EventName);
    }

    [Fact]
    public void Tampered_stripped_log_names_the_last_event_on_mismatch()
    {
        using var doc = JsonDocument.Parse(Vectors.Text("tdx-lite-getquote.json"));
        var quote = TdxQuote.Parse(Convert.FromHexString(doc.RootElement.GetProperty("quote").GetString()!));
        var json = doc.RootElement.GetProperty("event_log").GetString()!.Replace("\"event\":\"storage-fs\",\"event_payload\":\"7a6673\"", "\"event\":\"storage-fs\",\"event_payload\":\"657874\"");
        var log = DstackEventLog.Parse(json);
        var e = Assert.Throws<EventLogException>(() => log.VerifyRtmr3(quote.Report.Rtmr3));
        Assert.NotNull(e.Index);
        Assert.Equal("system-ready", e.EventName);
    }

    [Fact]
    public void Runtime_digest_formula()
    {
        // SHA384(u32_le(0x08000001) || ":" || "app-id" || ":" || payload), computed independently here.
        var payload = new byte[] { 1, 2, 3 };
        var expected = System.Security.Cryptography.SHA384.HashData([0x01, 0x00, 0x00, 0x08, .. ":app-id:"u8.ToArray(), .. payload]);
        Assert.Equal(expected, EventLogEntry.ComputeRuntimeDigest(0x08000001, "app-id", payload));
    }

    [Fact]
    public void Round_trips_through_json()
    {
        var log = DstackEventLog.Parse(Vectors.Text("eventlog_v055.json"));
        var again = DstackEventLog.Parse(DstackEventLog.ToJson(log.Entries));
        Assert.Equal(log.Replay(3), again.Replay(3));
        Assert.Equal(log.Replay(0), again.Replay(0));
    }

    [Fact]
    public void Malformed_log_is_typed()
    {
        Assert.Throws<EventLogException>(() => DstackEventLog.Parse("{}"));
        Assert.Throws<EventLogException>(() => DstackEventLog.Parse("[{\"imr\":3,\"event_type\":1,\"digest\":\"zz\",\"event\":\"x\",\"event_payload\":\"\"}]"));
    }

    [Theory]
    [InlineData("compose-hash")]
    [InlineData("key-provider")]
    [InlineData("app-id")]
    [InlineData("instance-id")]
    public void A_second_identity_event_emitted_after_boot_is_refused_not_taken_as_the_identity(string name)
    {
        // An app inside the CVM can extend RTMR3 with any event it likes (dstack's EmitEvent) after boot. A second
        // compose-hash replays honestly into a matching RTMR3, so the later value must not replace the boot-time one.
        var boot = DstackEventLog.Parse(Vectors.Text("eventlog_v055.json")).Entries.ToList();
        var original = boot.Single(e => e.Imr == 3 && e.Event == name).Payload;
        var forged = EventLogEntry.Runtime(name, [.. original.Select(b => (byte)(b ^ 0xff))]);
        var log = DstackEventLog.FromEntries([.. boot, forged]);
        var rtmr3 = log.Replay(3);
        var e = Assert.Throws<EventLogException>(() => log.VerifyRtmr3(rtmr3));
        Assert.Equal(name, e.EventName);
        Assert.Equal(boot.Count, e.Index);
        Assert.Throws<EventLogException>(() => name switch
        {
            "compose-hash" => log.ComposeHash,
            "key-provider" => System.Text.Encoding.UTF8.GetBytes(log.KeyProvider!),
            "app-id" => log.AppId,
            _ => log.InstanceId,
        });
    }

    [Fact]
    public void An_identity_event_on_another_register_is_not_the_identity()
    {
        var boot = DstackEventLog.Parse(Vectors.Text("eventlog_v055.json")).Entries.ToList();
        var measured = boot.Single(e => e.Imr == 3 && e.Event == "compose-hash").Payload;
        var otherImr = EventLogEntry.Runtime("compose-hash", new byte[32]) with { Imr = 2 };
        var log = DstackEventLog.FromEntries([.. boot, otherImr]);
        log.VerifyRtmr3(log.Replay(3));
        Assert.Equal(measured, log.ComposeHash);
    }

    [Fact]
    public void A_boot_event_disguised_as_an_opaque_event_to_leave_an_app_emitted_compose_hash_is_refused()
    {
        // The app emits a compose-hash of its choosing after boot. Whoever presents the log then relabels the boot-time
        // compose-hash with another event type, keeping its digest verbatim: RTMR3 still replays, but the only runtime
        // compose-hash left is the app's. RTMR3 holds dstack runtime events only, so any other type there is refused.
        var boot = DstackEventLog.Parse(Vectors.Text("eventlog_v055.json")).Entries.ToList();
        var i = boot.FindIndex(e => e.Imr == 3 && e.Event == "compose-hash");
        var honest = DstackEventLog.FromEntries([.. boot, EventLogEntry.Runtime("compose-hash", new byte[32])]);
        var rtmr3 = honest.Replay(3);
        var relabelled = boot.ToList();
        relabelled[i] = boot[i] with { EventType = 1, Event = "opaque" };
        var log = DstackEventLog.FromEntries([.. relabelled, EventLogEntry.Runtime("compose-hash", new byte[32])]);
        Assert.Equal(rtmr3, log.Replay(3));
        var e = Assert.Throws<EventLogException>(() => log.VerifyRtmr3(rtmr3));
        Assert.Equal(i, e.Index);
    }

    [Theory]
    [InlineData("\"imr\":3,\"event_type\":134217729,\"digest\":\"\",\"event\":\"compose-hash\",\"event\":\"x\",\"event_payload\":\"\"")]
    [InlineData("\"imr\":3,\"event_type\":134217729,\"digest\":\"\",\"event\":5,\"event_payload\":\"\"")]
    [InlineData("\"imr\":4294967299,\"event_type\":134217729,\"digest\":\"\",\"event\":\"compose-hash\",\"event_payload\":\"\"")]
    [InlineData("\"imr\":3,\"event_type\":4429185025,\"digest\":\"\",\"event\":\"compose-hash\",\"event_payload\":\"\"")]
    public void An_entry_with_a_duplicated_field_a_non_string_name_or_an_out_of_range_number_is_a_typed_error(string fields)
    {
        // Two "event" fields could be read differently by different parsers; an imr of 2^32 + 3 (or an event type of
        // 2^32 + 0x08000001) was truncated to 3 (the runtime type). None of these is dstack's log.
        Assert.Throws<EventLogException>(() => DstackEventLog.Parse("[{" + fields + "}]"));
    }
}
