using System.Collections.Concurrent;

namespace Keystore.State;

/// <summary>
/// Per account, the reservation rows this instance last read or wrote (trusted: in the TEE's memory) with the table's
/// fingerprint of that account at that moment: the row count and the sums of each row's random <c>tag</c>, which every
/// insert, commit, release and prune changes (a commit draws a new tag). A reservation reads the fingerprint (one
/// aggregate row) under the account's lock; only when it differs from the one kept (another instance wrote, rows were
/// pruned, or someone changed the table) are the rows read and opened again. So a warm account costs one small read
/// instead of every row of its windows, and exactness does not depend on the cache: what counts is always either what
/// the database holds now or what this instance knows it holds. Bounded: when full, it starts over.
/// </summary>
internal sealed class KnownWindows
{
    public const int Capacity = 4096;

    private readonly ConcurrentDictionary<string, Account> _accounts = new(StringComparer.Ordinal);

    /// <summary>The rows kept for <paramref name="accountKey"/> if the table still shows <paramref name="fingerprint"/>, under the same sealing keys.</summary>
    public Account? Find(string accountKey, object keys, Fingerprint fingerprint) =>
        _accounts.TryGetValue(accountKey, out Account? account) && ReferenceEquals(account.Keys, keys) && account.Matches(fingerprint) ? account : null;

    /// <summary>Keeps <paramref name="account"/>, once it holds every row the fingerprint covers (never a half-read one).</summary>
    public void Publish(string accountKey, Account account)
    {
        if (_accounts.Count >= Capacity)
            _accounts.Clear();
        _accounts[accountKey] = account;
    }

    public void Forget(string accountKey) => _accounts.TryRemove(accountKey, out _);

    /// <summary>A commit landed: the kept row takes its new tag and payload, if it still holds the old tag (else a later read already saw the commit).</summary>
    public void Committed(string accountKey, Guid id, long oldTag, long newTag, ReservationPayload payload)
    {
        if (_accounts.TryGetValue(accountKey, out Account? account))
            account.Committed(id, oldTag, newTag, payload);
    }

    /// <summary>A random tag for a row: 62 bits, never 0 (the default of rows written before tags existed).</summary>
    public static long NewTag()
    {
        Span<byte> random = stackalloc byte[8];
        while (true)
        {
            Security.PooledRandom.Fill(random);
            long tag = (long)(System.Buffers.Binary.BinaryPrimitives.ReadUInt64LittleEndian(random) >> 2);
            if (tag != 0) return tag;
        }
    }

    /// <summary>What the table shows of an account: its row count and the sums of the tags' low and high 31 bits (two sums, so neither overflows).</summary>
    public readonly record struct Fingerprint(long Count, long LowSum, long HighSum)
    {
        public Fingerprint With(long tag, int sign) => new(Count + sign, LowSum + sign * Low(tag), HighSum + sign * High(tag));

        public Fingerprint Retagged(long oldTag, long newTag) => new(Count, LowSum - Low(oldTag) + Low(newTag), HighSum - High(oldTag) + High(newTag));

        private static long Low(long tag) => tag & int.MaxValue;

        private static long High(long tag) => tag >> 31;
    }

    internal sealed class Account(object keys, Fingerprint fingerprint)
    {
        private readonly Lock _gate = new();
        private readonly Dictionary<Guid, (long Tag, ReservationPayload Payload)> _rows = [];
        private Fingerprint _fingerprint = fingerprint;

        public object Keys { get; } = keys;

        public bool Matches(Fingerprint fingerprint)
        {
            lock (_gate) return _fingerprint == fingerprint;
        }

        public void Add(Guid id, long tag, ReservationPayload payload, bool changesFingerprint)
        {
            lock (_gate)
            {
                _rows[id] = (tag, payload);
                if (changesFingerprint) _fingerprint = _fingerprint.With(tag, +1);
            }
        }

        public void Committed(Guid id, long oldTag, long newTag, ReservationPayload payload)
        {
            lock (_gate)
            {
                if (!_rows.TryGetValue(id, out (long Tag, ReservationPayload _) row) || row.Tag != oldTag) return;
                _rows[id] = (newTag, payload);
                _fingerprint = _fingerprint.Retagged(oldTag, newTag);
            }
        }

        /// <summary>The kept payloads (a copy, so the caller sums outside the lock).</summary>
        public ReservationPayload[] Payloads()
        {
            lock (_gate) return [.. _rows.Values.Select(r => r.Payload)];
        }
    }
}
