using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace Keystore.Attestation.EventLog;

/// <summary>One dstack event-log entry. <see cref="Digest"/> is empty when dstack (≥ 0.5.6) stripped it.</summary>
public sealed record EventLogEntry(int Imr, uint EventType, byte[] Digest, string Event, byte[] Payload)
{
    /// <summary>dstack's runtime (application) event type, extended into RTMR3 by the guest.</summary>
    public const uint RuntimeEventType = 0x08000001;

    public bool IsRuntimeEvent => EventType == RuntimeEventType;

    /// <summary>dstack's runtime event digest: SHA384(u32_le(event_type) ‖ ":" ‖ event ‖ ":" ‖ payload).</summary>
    public static byte[] ComputeRuntimeDigest(uint eventType, string name, ReadOnlySpan<byte> payload)
    {
        using var h = IncrementalHash.CreateHash(HashAlgorithmName.SHA384);
        Span<byte> type = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(type, eventType);
        h.AppendData(type);
        h.AppendData(":"u8);
        h.AppendData(Encoding.UTF8.GetBytes(name));
        h.AppendData(":"u8);
        h.AppendData(payload);
        return h.GetHashAndReset();
    }

    public static EventLogEntry Runtime(string name, byte[] payload) =>
        new(3, RuntimeEventType, ComputeRuntimeDigest(RuntimeEventType, name, payload), name, payload);
}
