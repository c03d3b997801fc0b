using System.Collections.Concurrent;
using System.Security.Cryptography;

namespace Keystore.State;

/// <summary>
/// <see cref="ISpendingWindows"/> for a database this process alone writes (SQLite: <see cref="SqliteProcessLock"/>). Then
/// what this process knows of an account's windows is the truth: the rows it loaded once (sealed, opened and checked
/// against their row identity as everywhere else) plus what it has committed or holds since. So a reservation is made in
/// memory under the account's lock, exactly, with no database round trip; the commit is one <c>INSERT</c> of the committed
/// row, written in the transaction of the audit entry that logs the signature (<see cref="Commit"/>), and a release writes nothing. A crash between the two hands nothing out: the answer
/// is sent only after the commit's write, and a hold that was never written is gone with the process.
/// </summary>
/// <remarks>
/// Only committed rows reach the database. A database left by the previous design (held rows, their 5-minute hold) is
/// read as it is: a held row counts until its hold lapses. Accounts are loaded on first use and forgotten, when more than
/// <see cref="AccountCapacity"/> are known, only while nothing of theirs is held.
/// </remarks>
public sealed class SingleWriterSpendingWindows(StateStore store) : ISpendingWindows
{
    /// <summary>Accounts whose windows are kept; past it the idle ones are forgotten (and loaded again on their next request).</summary>
    public const int AccountCapacity = 10_000;

    private readonly ConcurrentDictionary<string, AccountWindows> _accounts = new(StringComparer.Ordinal);

    public async Task<WindowReservation> ReserveAsync(string account, IReadOnlyList<WindowCharge> charges, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        WindowSums.Validate(charges);
        if (charges.Count == 0)
            return new WindowReservation(account, null, [], null);
        long nowMs = now.ToUnixTimeMilliseconds();
        byte[] id = Security.PooledRandom.GetBytes(16);
        while (true)
        {
            AccountWindows windows = await LoadedAsync(account, nowMs, cancellationToken).ConfigureAwait(false);
            if (windows.TryReserve(new Guid(id), charges, nowMs) is not { } outcome)
                continue; // forgotten meanwhile: load it again
            (WindowTotal[] totals, ReservationPayload? held) = outcome;
            if (held is null)
                return new WindowReservation(account, null, totals, totals.First(t => t.Exceeds));
            return new WindowReservation(account, id, totals, null) { Payload = held, Holder = windows };
        }
    }

    /// <remarks>
    /// The one write: the committed row, sealed under its identity, inserted (no account lock is needed: no other writer
    /// exists, and the hold already counted it). A failed write drops the hold (nothing is handed out) and has the
    /// account's rows read again before its next reservation, in case the row landed after all.
    /// </remarks>
    public StateChange? Commit(WindowReservation reservation)
    {
        if (reservation.Id is not { } id) return null;
        if (reservation.Holder is not AccountWindows windows || reservation.Payload is not { } held)
            throw new ArgumentException("This reservation was not made by this instance's windows.", nameof(reservation));
        byte[] accountId = windows.AccountId(store.Sealer.KeyGeneration, () => store.AccountId(reservation.Account));
        ReservationPayload committed = held with { Committed = true };
        byte[] sealedValue = committed.Seal(store.Sealer, accountId, id);
        long tag = KnownWindows.NewTag();
        var key = new Guid(id);
        return new StateChange(
            (connection, transaction) => StateDatabase.ExecuteAsync(connection, transaction, ReservationPayload.InsertSql, CancellationToken.None,
                ("@id", id), ("@a", accountId), ("@k", committed.KeepUntilMs), ("@t", tag), ("@s", sealedValue)),
            () => windows.Committed(key, committed),
            () => windows.Unsure(key));
    }

    /// <remarks>Nothing was written for a hold, so nothing is written to give it back.</remarks>
    public Task ReleaseAsync(WindowReservation reservation, CancellationToken cancellationToken = default)
    {
        if (reservation.Id is { } id && reservation.Holder is AccountWindows windows)
            windows.Release(new Guid(id));
        return Task.CompletedTask;
    }

    public async Task<IReadOnlyList<WindowTotal>> GetTotalsAsync(string account, IReadOnlyList<WindowCharge> charges, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        WindowSums.Validate(charges);
        if (charges.Count == 0) return [];
        long nowMs = now.ToUnixTimeMilliseconds();
        while (true)
        {
            AccountWindows windows = await LoadedAsync(account, nowMs, cancellationToken).ConfigureAwait(false);
            if (windows.Totals(charges, nowMs) is { } totals)
                return totals;
        }
    }

    private async Task<AccountWindows> LoadedAsync(string account, long nowMs, CancellationToken cancellationToken)
    {
        if (!_accounts.TryGetValue(account, out AccountWindows? windows))
        {
            if (_accounts.Count >= AccountCapacity)
                ForgetIdle();
            windows = _accounts.GetOrAdd(account, static _ => new AccountWindows());
        }
        if (windows.NeedsLoad)
            await windows.LoadAsync(() => ReadRowsAsync(account, nowMs, cancellationToken), cancellationToken).ConfigureAwait(false);
        return windows;
    }

    /// <summary>Every row of the account that can still count, opened (a changed, moved or swapped row fails closed: <c>state-tampered</c>).</summary>
    private async Task<Dictionary<Guid, ReservationPayload>> ReadRowsAsync(string account, long nowMs, CancellationToken cancellationToken)
    {
        byte[] accountId = store.AccountId(account);
        var rows = new List<(byte[] Id, byte[] Sealed)>();
        await store.ReadAsync(async connection =>
        {
            await StateDatabase.ReadRowsAsync(connection, null, "SELECT reservation_id, sealed FROM reservations WHERE account_id = @a AND keep_until >= @now",
                reader => rows.Add(((byte[])reader.GetValue(0), (byte[])reader.GetValue(1))), cancellationToken, ("@a", accountId), ("@now", nowMs)).ConfigureAwait(false);
            return rows.Count;
        }, cancellationToken).ConfigureAwait(false);
        var opened = new Dictionary<Guid, ReservationPayload>(rows.Count);
        foreach ((byte[] id, byte[] sealedValue) in rows)
        {
            if (id.Length != 16)
                throw StateProblems.TamperedRow("A reservation row has an id of the wrong length.");
            opened[new Guid(id)] = ReservationPayload.Open(store.Sealer, accountId, id, sealedValue);
        }
        return opened;
    }

    /// <summary>Forgets every account with nothing held (they are loaded again from the database on their next use).</summary>
    private void ForgetIdle()
    {
        foreach (KeyValuePair<string, AccountWindows> entry in _accounts)
        {
            if (entry.Value.TryRetire())
                _accounts.TryRemove(entry);
        }
    }

    /// <summary>
    /// One account's windows in memory: its committed rows by id and its holds by id (the truth), and a flat copy of their
    /// entries for summing (<see cref="Slot"/>), all under one lock that is never held across an await. Loaded once; read
    /// again (holds kept) only after a commit whose write failed.
    /// </summary>
    /// <remarks>
    /// Every reservation sums every entry of the account's windows. Walking the payloads (a list of tuples of strings and
    /// big integers each) touched a few hundred scattered objects per request, which was most of its time once the
    /// database was out of the way; the slots are one contiguous array of numbers, the window keys small integers.
    /// </remarks>
    internal sealed class AccountWindows
    {
        private static readonly TimeSpan PruneEvery = TimeSpan.FromSeconds(30);
        private readonly Lock _gate = new();
        private readonly SemaphoreSlim _loading = new(1, 1);
        private readonly Dictionary<Guid, ReservationPayload> _holds = [];
        private readonly List<Slot> _slots = [];
        private readonly Dictionary<string, int> _keyIds = new(StringComparer.Ordinal);
        private Dictionary<Guid, ReservationPayload> _rows = [];
        // Entries whose amounts do not fit an Int128 (none in practice): then the sums take the payloads' slow path.
        private int _largeEntries;
        private volatile bool _needsLoad = true;
        private bool _retired;
        private long _nextPruneMs;
        private object? _accountIdKeys;
        private byte[]? _accountId;

        public bool NeedsLoad => _needsLoad;

        /// <summary>The account's row id under <paramref name="keys"/>, computed once per sealing key generation.</summary>
        public byte[] AccountId(object keys, Func<byte[]> compute)
        {
            lock (_gate)
            {
                if (!ReferenceEquals(_accountIdKeys, keys) || _accountId is null)
                {
                    _accountId = compute();
                    _accountIdKeys = keys;
                }
                return _accountId;
            }
        }

        /// <summary>
        /// Replaces the committed rows with the database's (the holds stay: none of them is in the database, except one whose
        /// commit is landing now, which then counts twice for a moment: towards refusing).
        /// </summary>
        public async Task LoadAsync(Func<Task<Dictionary<Guid, ReservationPayload>>> read, CancellationToken cancellationToken)
        {
            await _loading.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                if (!_needsLoad) return;
                Dictionary<Guid, ReservationPayload> rows = await read().ConfigureAwait(false);
                lock (_gate)
                {
                    foreach ((Guid id, ReservationPayload payload) in _rows)
                    {
                        // A commit that landed while the rows were read, or after the read's snapshot.
                        if (payload.Committed) rows.TryAdd(id, payload);
                    }
                    _rows = rows;
                    RebuildSlots();
                    _needsLoad = false;
                }
            }
            finally
            {
                _loading.Release();
            }
        }

        /// <summary>Null when this account was forgotten meanwhile or must be read again; else the totals and, if every charge fits, the hold made.</summary>
        public (WindowTotal[] Totals, ReservationPayload? Held)? TryReserve(Guid id, IReadOnlyList<WindowCharge> charges, long nowMs)
        {
            var entries = new (string, long, System.Numerics.BigInteger)[charges.Count];
            for (int i = 0; i < charges.Count; i++)
                entries[i] = (charges[i].Key, (long)charges[i].Window.TotalMilliseconds, charges[i].Amount);
            var held = new ReservationPayload(nowMs, nowMs + (long)ReservationPayload.Hold.TotalMilliseconds, Committed: false, entries);
            lock (_gate)
            {
                if (_retired || _needsLoad) return null;
                PruneIfDue(nowMs);
                WindowTotal[] totals = SumLocked(charges, nowMs);
                foreach (WindowTotal total in totals)
                {
                    if (total.Exceeds) return (totals, null);
                }
                _holds[id] = held;
                AddSlots(id, held);
                return (totals, held);
            }
        }

        public WindowTotal[]? Totals(IReadOnlyList<WindowCharge> charges, long nowMs)
        {
            lock (_gate)
                return _retired || _needsLoad ? null : SumLocked(charges, nowMs);
        }

        public void Committed(Guid id, ReservationPayload committed)
        {
            lock (_gate)
            {
                if (_holds.Remove(id))
                    RemoveSlots(id);
                if (_rows.Remove(id))
                    RemoveSlots(id);
                _rows[id] = committed;
                AddSlots(id, committed);
            }
        }

        public void Release(Guid id)
        {
            lock (_gate)
            {
                if (_holds.Remove(id))
                    RemoveSlots(id);
            }
        }

        /// <summary>A commit's write failed: its hold goes, and the rows are read again before the next use (the row may have landed).</summary>
        public void Unsure(Guid id)
        {
            lock (_gate)
            {
                if (_holds.Remove(id))
                    RemoveSlots(id);
                _needsLoad = true;
            }
        }

        /// <summary>Marks this account forgotten if nothing of it is held or loading; a caller holding it then loads it anew.</summary>
        public bool TryRetire()
        {
            if (!_loading.Wait(0)) return false;
            try
            {
                lock (_gate)
                {
                    if (_holds.Count > 0 || _needsLoad) return false;
                    _retired = true;
                    return true;
                }
            }
            finally
            {
                _loading.Release();
            }
        }

        private WindowTotal[] SumLocked(IReadOnlyList<WindowCharge> charges, long nowMs)
        {
            if (_largeEntries > 0)
                return WindowSums.Sum(_rows.Values, _holds.Values, charges, nowMs);
            int count = charges.Count;
            Span<int> keys = count <= 16 ? stackalloc int[count] : new int[count];
            Span<long> starts = count <= 16 ? stackalloc long[count] : new long[count];
            var sums = new Int128[count];
            for (int i = 0; i < count; i++)
            {
                keys[i] = _keyIds.TryGetValue(charges[i].Key, out int key) ? key : -1;
                starts[i] = nowMs - (long)charges[i].Window.TotalMilliseconds;
            }
            foreach (ref readonly Slot slot in System.Runtime.InteropServices.CollectionsMarshal.AsSpan(_slots))
            {
                // As ReservationPayload.CountsAt and the database's keep_until: a lapsed hold or an expired row counts for nothing.
                if (slot.KeepUntilMs < nowMs || slot.CountsUntilMs < nowMs) continue;
                for (int i = 0; i < count; i++)
                {
                    if (slot.KeyId != keys[i] || slot.CreatedAtMs < starts[i]) continue;
                    if (sums[i] > Int128.MaxValue - slot.Amount)
                        return WindowSums.Sum(_rows.Values, _holds.Values, charges, nowMs);
                    sums[i] += slot.Amount;
                }
            }
            var totals = new WindowTotal[count];
            for (int i = 0; i < count; i++)
                totals[i] = new WindowTotal(charges[i], (System.Numerics.BigInteger)sums[i]);
            return totals;
        }

        private void AddSlots(Guid id, ReservationPayload payload)
        {
            Int128[]? amounts = payload.SmallAmounts;
            long countsUntil = payload.Committed ? long.MaxValue : payload.HoldUntilMs;
            for (int e = 0; e < payload.Entries.Count; e++)
            {
                string key = payload.Entries[e].Key;
                if (!_keyIds.TryGetValue(key, out int keyId))
                    _keyIds[key] = keyId = _keyIds.Count;
                if (amounts is null) _largeEntries++;
                _slots.Add(new Slot(id, keyId, payload.CreatedAtMs, countsUntil, payload.KeepUntilMs, amounts?[e] ?? 0, amounts is null));
            }
        }

        private void RemoveSlots(Guid id)
        {
            int removedLarge = 0;
            _slots.RemoveAll(slot =>
            {
                if (slot.Id != id) return false;
                if (slot.Large) removedLarge++;
                return true;
            });
            _largeEntries -= removedLarge;
        }

        private void RebuildSlots()
        {
            _slots.Clear();
            _keyIds.Clear();
            _largeEntries = 0;
            foreach ((Guid id, ReservationPayload payload) in _rows) AddSlots(id, payload);
            foreach ((Guid id, ReservationPayload payload) in _holds) AddSlots(id, payload);
        }

        private void PruneIfDue(long nowMs)
        {
            if (nowMs < _nextPruneMs) return;
            _nextPruneMs = nowMs + (long)PruneEvery.TotalMilliseconds;
            List<Guid>? gone = null;
            foreach ((Guid id, ReservationPayload payload) in _rows)
            {
                if (payload.KeepUntilMs < nowMs) (gone ??= []).Add(id);
            }
            if (gone is null) return;
            foreach (Guid id in gone) _rows.Remove(id);
            RebuildSlots();
        }

        /// <summary>One entry of a row or hold, for summing: which window key, when it was made, until when it counts, its amount.</summary>
        private readonly record struct Slot(Guid Id, int KeyId, long CreatedAtMs, long CountsUntilMs, long KeepUntilMs, Int128 Amount, bool Large);
    }
}
