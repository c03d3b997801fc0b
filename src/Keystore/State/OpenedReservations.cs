using System.Collections.Concurrent;

namespace Keystore.State;

/// <summary>
/// Reservation rows this instance sealed or already opened, by id, with the exact sealed bytes and the sealing keys they
/// were opened under: a row read back byte for byte the same (for the same account, under the same keys) would open to the
/// same payload, so its AEAD and parse are skipped; any other bytes are opened (and refused when tampered) as before.
/// Every reservation of an account is read on each new one, so this turns the per-row cost into a compare. Bounded: when
/// full, it starts over. Amounts and window keys are not key material, and they stay in the TEE's memory.
/// </summary>
internal sealed class OpenedReservations
{
    public const int Capacity = 65_536;
    private const int IdLength = 16;

    private readonly ConcurrentDictionary<Guid, Entry> _entries = new();

    public ReservationPayload? Find(object keys, ReadOnlySpan<byte> accountId, ReadOnlySpan<byte> id, ReadOnlySpan<byte> sealedValue)
    {
        if (id.Length != IdLength || !_entries.TryGetValue(new Guid(id), out Entry? entry))
            return null;
        return ReferenceEquals(entry.Keys, keys) && entry.AccountId.AsSpan().SequenceEqual(accountId) && entry.SealedValue.AsSpan().SequenceEqual(sealedValue)
            ? entry.Payload
            : null;
    }

    /// <param name="keys">The sealer's keys read before <paramref name="sealedValue"/> was sealed or opened, so a change of master secret in between only misses.</param>
    public void Remember(object keys, byte[] accountId, ReadOnlySpan<byte> id, byte[] sealedValue, ReservationPayload payload)
    {
        if (id.Length != IdLength) return;
        if (_entries.Count >= Capacity)
            _entries.Clear();
        _entries[new Guid(id)] = new Entry(keys, accountId, sealedValue, payload);
    }

    public void Forget(ReadOnlySpan<byte> id)
    {
        if (id.Length == IdLength)
            _entries.TryRemove(new Guid(id), out _);
    }

    private sealed record Entry(object Keys, byte[] AccountId, byte[] SealedValue, ReservationPayload Payload);
}
