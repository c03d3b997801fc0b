using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Keystore.Attestation.EventLog;

/// <summary>
/// A dstack event log (JSON array of <c>{imr, event_type, digest, event, event_payload}</c>) and its
/// RTMR replay. Runtime event digests are recomputed when stripped and checked when present, so a
/// forged name or payload cannot ride on an honest digest.
/// </summary>
public sealed class DstackEventLog
{
    public const int RtmrSize = 48;

    public IReadOnlyList<EventLogEntry> Entries { get; }
    public string RawJson { get; }

    private DstackEventLog(IReadOnlyList<EventLogEntry> entries, string rawJson)
    {
        Entries = entries;
        RawJson = rawJson;
    }

    public static DstackEventLog FromEntries(IReadOnlyList<EventLogEntry> entries) => new(entries, ToJson(entries));

    public static DstackEventLog Parse(string json)
    {
        JsonArray array;
        // A duplicated field may be read one way here and another way by another verifier; dstack never writes one.
        try { array = JsonNode.Parse(json, documentOptions: new JsonDocumentOptions { AllowDuplicateProperties = false }) as JsonArray ?? throw new EventLogException("event log is not a JSON array"); }
        catch (JsonException e) { throw new EventLogException("event log is not valid JSON", inner: e); }

        var entries = new List<EventLogEntry>(array.Count);
        for (var i = 0; i < array.Count; i++)
        {
            var o = array[i] as JsonObject ?? throw new EventLogException("entry is not an object", i);
            string name = "";
            try
            {
                name = o["event"]?.GetValue<string>() ?? "";
                // Checked: an unchecked cast read an imr of 2^32 + 3 as RTMR3 and an event type of 2^32 + 0x08000001 as runtime.
                entries.Add(new EventLogEntry(
                    checked((int)Number(o["imr"])),
                    checked((uint)Number(o["event_type"])),
                    Hex(o["digest"]),
                    name,
                    Hex(o["event_payload"])));
            }
            catch (Exception e) when (e is FormatException or InvalidOperationException or OverflowException)
            {
                throw new EventLogException("entry is malformed", i, name, e);
            }
        }
        return new DstackEventLog(entries, json);
    }

    // dstack ≤ 0.5.5 writes imr/event_type as strings, later versions as numbers.
    private static long Number(JsonNode? n) => n switch
    {
        JsonValue v when v.TryGetValue<long>(out var l) => l,
        JsonValue v when v.TryGetValue<string>(out var s) => long.Parse(s, CultureInfo.InvariantCulture),
        _ => throw new FormatException("number expected"),
    };

    private static byte[] Hex(JsonNode? n) => n is null ? [] : Convert.FromHexString(n.GetValue<string>());

    /// <summary>The digest an entry extends: its recomputed runtime digest (checked against a present one) or the logged digest.</summary>
    public static byte[] EffectiveDigest(EventLogEntry e, int index)
    {
        if (!e.IsRuntimeEvent)
        {
            if (e.Digest.Length != RtmrSize) throw new EventLogException("digest is not 48 bytes", index, e.Event);
            return e.Digest;
        }
        var computed = EventLogEntry.ComputeRuntimeDigest(e.EventType, e.Event, e.Payload);
        if (e.Digest.Length != 0 && !CryptographicOperations.FixedTimeEquals(computed, e.Digest))
            throw new EventLogException("digest does not match SHA384(type:event:payload)", index, e.Event);
        return computed;
    }

    /// <summary>RTMR[imr] = SHA384(RTMR ‖ digest) over the entries for that register, from 48 zero bytes.</summary>
    public byte[] Replay(int imr)
    {
        var rtmr = new byte[RtmrSize];
        Span<byte> buf = stackalloc byte[RtmrSize * 2];
        for (var i = 0; i < Entries.Count; i++)
        {
            var e = Entries[i];
            if (e.Imr != imr) continue;
            rtmr.CopyTo(buf);
            EffectiveDigest(e, i).CopyTo(buf[RtmrSize..]);
            rtmr = SHA384.HashData(buf);
        }
        return rtmr;
    }

    /// <summary>
    /// Replays RTMR3 and compares with the quoted value; on mismatch names the first event whose digest is
    /// wrong, or the last RTMR3 event when every digest is consistent but the chain still differs. A log with a
    /// duplicated <see cref="IdentityEvents"/> event, or an RTMR3 event that is not a runtime event, is refused first, naming it.
    /// </summary>
    public byte[] VerifyRtmr3(ReadOnlySpan<byte> quotedRtmr3)
    {
        // dstack extends RTMR3 with its runtime events only. Another event type there is extended by its logged digest,
        // unchecked, so it could be a relabelled boot-time identity event hiding from the duplicate check below.
        for (var i = 0; i < Entries.Count; i++)
            if (Entries[i].Imr == 3 && !Entries[i].IsRuntimeEvent)
                throw new EventLogException($"event type 0x{Entries[i].EventType:x8} is not a dstack runtime event, the only kind RTMR3 holds", i, Entries[i].Event);
        foreach (var name in IdentityEvents) IdentityEntry(name);
        var replay = Replay(3);
        if (CryptographicOperations.FixedTimeEquals(replay, quotedRtmr3)) return replay;
        var last = Entries.Select((e, i) => (e, i)).LastOrDefault(x => x.e.Imr == 3);
        throw new EventLogException(
            $"RTMR3 replay {Convert.ToHexStringLower(replay)} differs from quoted {Convert.ToHexStringLower(quotedRtmr3)}",
            last.e is null ? null : last.i, last.e?.Event);
    }

    /// <summary>
    /// The events dstack extends once at boot, before any app code runs, that name what the CVM is. The app can
    /// extend RTMR3 later with events of any name (dstack's EmitEvent), which replay as honestly as the boot ones,
    /// so a second event of one of these names is refused: taking the last would let the app replace its compose
    /// hash or key provider, and taking the first would hide that it tried.
    /// </summary>
    public static IReadOnlyList<string> IdentityEvents { get; } = ["app-id", "compose-hash", "instance-id", "key-provider"];

    private EventLogEntry? IdentityEntry(string name)
    {
        EventLogEntry? found = null;
        for (var i = 0; i < Entries.Count; i++)
        {
            var e = Entries[i];
            if (e.Imr != 3 || !e.IsRuntimeEvent || e.Event != name) continue;
            if (found is not null)
                throw new EventLogException("the event is logged more than once; only dstack's boot-time event names the CVM", i, name);
            found = e;
        }
        return found;
    }

    private string? PayloadText(string name) => IdentityEntry(name) is { } e ? Encoding.UTF8.GetString(e.Payload) : null;

    private byte[]? PayloadBytes(string name) => IdentityEntry(name)?.Payload;

    public byte[]? ComposeHash => PayloadBytes("compose-hash");
    public byte[]? AppId => PayloadBytes("app-id");
    public byte[]? InstanceId => PayloadBytes("instance-id");
    /// <summary>The key-provider event payload (JSON text such as <c>{"name":"kms","id":"…"}</c>).</summary>
    public string? KeyProvider => PayloadText("key-provider");

    public static string ToJson(IEnumerable<EventLogEntry> entries)
    {
        var arr = new JsonArray();
        foreach (var e in entries)
            arr.Add(new JsonObject
            {
                ["imr"] = e.Imr,
                ["event_type"] = e.EventType,
                ["digest"] = Convert.ToHexStringLower(e.Digest),
                ["event"] = e.Event,
                ["event_payload"] = Convert.ToHexStringLower(e.Payload),
            });
        return arr.ToJsonString();
    }
}
