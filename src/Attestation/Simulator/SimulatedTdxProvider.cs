using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Keystore.Attestation.Collateral;
using Keystore.Attestation.EventLog;
using Keystore.Attestation.Quotes;
using Keystore.Attestation.Tee;

namespace Keystore.Attestation.Simulator;

/// <summary>
/// A local TDX stand-in for development and tests. It issues quote v4 bytes in the real layout,
/// signed through a <see cref="SimulatedPki"/>, with a dstack-like RTMR3 event log whose replay is the
/// quoted RTMR3. Verifiable by <see cref="Verification.DcapQuoteVerifier"/> given <see cref="RootCaDer"/>.
/// </summary>
public sealed class SimulatedTdxProvider : ITeeProvider
{
    private static readonly byte[] IntelQeVendorId = Convert.FromHexString("939a7233f79c4ca9940a0db3957f0607");

    private readonly object _gate = new();
    private readonly List<EventLogEntry> _events;
    private readonly SimulatedKey _attestationKey;

    public SimulatedPki Pki { get; }
    public string Name => "simulator";
    public bool IsSimulated => true;
    public byte[] RootCaDer => Pki.RootCaDer;
    public QuoteCollateralV3 Collateral => Pki.Collateral;

    /// <summary>This simulated CVM's <c>instance-id</c> (configured, or random per provider).</summary>
    public byte[] InstanceId { get; }

    /// <summary>This simulated CVM's <c>app-id</c>.</summary>
    public byte[] AppId { get; }

    public SimulatedTdxProvider(SimulatedTdxOptions? options = null)
    {
        Pki = new SimulatedPki(options);
        var o = Pki.Options;
        // The attestation key belongs to the (simulated) QE; derived from a fresh secret, never exported.
        _attestationKey = SimulatedKey.Derive(RandomNumberGenerator.GetBytes(32), "attestation-key");
        byte[] composeHash = o.ComposeHash;
        AppId = o.AppId ?? composeHash[..20];
        InstanceId = o.InstanceId ?? RandomNumberGenerator.GetBytes(20);
        // The runtime events a dstack 0.5.x CVM extends into RTMR3 during boot, in dstack's order.
        _events =
        [
            EventLogEntry.Runtime("system-preparing", []),
            EventLogEntry.Runtime("app-id", AppId),
            EventLogEntry.Runtime("compose-hash", composeHash),
            EventLogEntry.Runtime("instance-id", InstanceId),
            EventLogEntry.Runtime("boot-mr-done", []),
            EventLogEntry.Runtime("key-provider", Encoding.UTF8.GetBytes(o.KeyProvider)),
            EventLogEntry.Runtime("system-ready", []),
        ];
    }

    /// <summary>Extends a runtime event into RTMR3, as an app would through the guest agent's EmitEvent.</summary>
    public void EmitEvent(string name, byte[] payload)
    {
        lock (_gate) _events.Add(EventLogEntry.Runtime(name, payload));
    }

    public Task<TeeQuote> GetQuoteAsync(ReadOnlyMemory<byte> reportData, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        if (reportData.Length > 64) throw new ArgumentException("report data is at most 64 bytes", nameof(reportData));
        var padded = new byte[64];
        reportData.Span.CopyTo(padded);
        DstackEventLog log;
        lock (_gate) log = DstackEventLog.FromEntries(_events.ToList());
        var quote = BuildQuote(padded, log.Replay(3));
        return Task.FromResult(new TeeQuote(quote, log, padded, null));
    }

    public Task<TeeInfo> GetInfoAsync(CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        var o = Pki.Options;
        DstackEventLog log;
        lock (_gate) log = DstackEventLog.FromEntries(_events.ToList());
        string H(byte[] b) => Convert.ToHexStringLower(b);
        var rtmr3 = log.Replay(3);
        var tcb = new JsonObject
        {
            ["mrtd"] = H(o.Mrtd), ["rtmr0"] = H(o.Rtmr0), ["rtmr1"] = H(o.Rtmr1), ["rtmr2"] = H(o.Rtmr2), ["rtmr3"] = H(rtmr3),
            ["compose_hash"] = H(o.ComposeHash), ["app_compose"] = o.AppCompose, ["os_image_hash"] = "", ["device_id"] = "",
            ["event_log"] = JsonNode.Parse(log.RawJson),
        };
        var info = new TeeInfo(H(AppId), H(InstanceId), "simulator", "", H(o.ComposeHash), "", o.KeyProvider,
            H(o.Mrtd), H(o.Rtmr0), H(o.Rtmr1), H(o.Rtmr2), H(rtmr3), tcb.ToJsonString());
        return Task.FromResult(info with { AppCompose = o.AppCompose });
    }

    private byte[] BuildQuote(byte[] reportData, byte[] rtmr3)
    {
        var o = Pki.Options;
        var signed = new byte[TdxQuote.SignedLength];
        var s = signed.AsSpan();
        // Header: version 4, ECDSA-P256 attestation key, TEE type TDX.
        BinaryPrimitives.WriteUInt16LittleEndian(s[0..], 4);
        BinaryPrimitives.WriteUInt16LittleEndian(s[2..], 2);
        BinaryPrimitives.WriteUInt32LittleEndian(s[4..], QuoteHeader.TeeTypeTdx);
        BinaryPrimitives.WriteUInt16LittleEndian(s[10..], SimulatedPki.PceSvn);
        IntelQeVendorId.CopyTo(s[12..]);
        // TD report body at the TDX quote v4 offsets.
        SimulatedPki.TeeTcbSvn.CopyTo(s[48..]);
        o.MrSignerSeam.CopyTo(s[112..]);
        o.TdAttributes.CopyTo(s[168..]);
        s[176] = 0xe7; s[177] = 0x02; s[178] = 0x06; // xfam as dstack CVMs report it (x87/SSE/AVX/AVX-512/PK)
        o.Mrtd.CopyTo(s[184..]);
        o.Rtmr0.CopyTo(s[376..]);
        o.Rtmr1.CopyTo(s[424..]);
        o.Rtmr2.CopyTo(s[472..]);
        rtmr3.CopyTo(s[520..]);
        reportData.CopyTo(s[568..]);

        var attKey = _attestationKey.PublicXY;
        var authData = SHA256.HashData(attKey)[..32];
        var qeReport = QeReport(attKey, authData);
        var pem = Encoding.ASCII.GetBytes(Pki.PckChainPem);

        using var cert = new MemoryStream();
        cert.Write(qeReport);
        cert.Write(Pki.PckKey.SignRaw(qeReport));
        WriteU16(cert, (ushort)authData.Length);
        cert.Write(authData);
        WriteU16(cert, QuoteSignatureData.CertTypePckChain);
        WriteU32(cert, (uint)pem.Length);
        cert.Write(pem);

        using var sig = new MemoryStream();
        sig.Write(_attestationKey.SignRaw(signed));
        sig.Write(attKey);
        WriteU16(sig, QuoteSignatureData.CertTypeQeReport);
        WriteU32(sig, (uint)cert.Length);
        cert.WriteTo(sig);

        using var quote = new MemoryStream();
        quote.Write(signed);
        WriteU32(quote, (uint)sig.Length);
        sig.WriteTo(quote);
        return quote.ToArray();
    }

    private static byte[] QeReport(byte[] attestationKey, byte[] authData)
    {
        var r = new byte[EnclaveReport.Size];
        SimulatedPki.CpuSvn.CopyTo(r, 0);
        r[48] = 0x11; // attributes: INIT | MODE64BIT, not DEBUG
        SimulatedPki.QeMrSigner.CopyTo(r, 128);
        BinaryPrimitives.WriteUInt16LittleEndian(r.AsSpan(256), SimulatedPki.QeIsvProdId);
        BinaryPrimitives.WriteUInt16LittleEndian(r.AsSpan(258), SimulatedPki.QeIsvSvn);
        // report_data[0..32] binds the attestation key: SHA256(key || auth data).
        SHA256.HashData([.. attestationKey, .. authData]).CopyTo(r, 320);
        return r;
    }

    private static void WriteU16(Stream s, ushort v) { Span<byte> b = stackalloc byte[2]; BinaryPrimitives.WriteUInt16LittleEndian(b, v); s.Write(b); }
    private static void WriteU32(Stream s, uint v) { Span<byte> b = stackalloc byte[4]; BinaryPrimitives.WriteUInt32LittleEndian(b, v); s.Write(b); }
}
