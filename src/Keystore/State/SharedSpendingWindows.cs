using System.Data.Common;
using System.Security.Cryptography;

namespace Keystore.State;

/// <summary>
/// <see cref="ISpendingWindows"/> for a database that several keystore instances share (PostgreSQL, a fleet): the
/// database is the only place that knows every instance's reservations, so each one is made there. A reservation reads every reservation of the account that can still
/// count, opens it, sums per window in C# and inserts its own row, all inside the account's write transaction
/// (SQLite: <c>BEGIN IMMEDIATE</c>; PostgreSQL: the account's advisory lock), so no two reservations of one account
/// interleave on any instance. Amounts and window keys are sealed: the database shows only that an account (a keyed hash)
/// reserved something at some time.
/// </summary>
/// <remarks>
/// Rows read back exactly as this instance sealed or opened them are not opened again (<see cref="OpenedReservations"/>);
/// commits and releases are single statements outside the account's lock (see each).
/// </remarks>
public sealed class SharedSpendingWindows(StateStore store) : ISpendingWindows
{
    private readonly OpenedReservations _opened = new();
    private readonly KnownWindows _known = new();

    public async Task<WindowReservation> ReserveAsync(string account, IReadOnlyList<WindowCharge> charges, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        WindowSums.Validate(charges);
        if (charges.Count == 0)
            return new WindowReservation(account, null, [], null);
        byte[] accountId = store.AccountId(account);
        long nowMs = now.ToUnixTimeMilliseconds();
        string accountKey = Convert.ToHexString(accountId);
        return await store.WriteAsync(accountId, async (connection, transaction) =>
        {
            object keys = store.Sealer.KeyGeneration;
            KnownWindows.Fingerprint fingerprint = await FingerprintAsync(connection, transaction, accountId, cancellationToken).ConfigureAwait(false);
            KnownWindows.Account? known = _known.Find(accountKey, keys, fingerprint);
            IReadOnlyList<WindowTotal> totals;
            if (known is not null)
            {
                totals = WindowSums.Sum(known.Payloads(), charges, nowMs);
            }
            else
            {
                known = new KnownWindows.Account(keys, fingerprint);
                totals = await TotalsAsync(connection, transaction, accountId, charges, nowMs, known, cancellationToken).ConfigureAwait(false);
                _known.Publish(accountKey, known);
            }
            WindowTotal? exceeded = totals.FirstOrDefault(t => t.Exceeds);
            if (exceeded is not null)
                return new WindowReservation(account, null, totals, exceeded);

            byte[] id = Security.PooledRandom.GetBytes(16);
            long tag = KnownWindows.NewTag();
            var payload = new ReservationPayload(nowMs, nowMs + (long)ReservationPayload.Hold.TotalMilliseconds, Committed: false,
                charges.Select(c => (c.Key, (long)c.Window.TotalMilliseconds, c.Amount)).ToArray());
            byte[] sealedValue = payload.Seal(store.Sealer, accountId, id);
            await StateDatabase.ExecuteAsync(connection, transaction,
                ReservationPayload.InsertSql, cancellationToken,
                ("@id", id), ("@a", accountId), ("@k", payload.KeepUntilMs), ("@t", tag), ("@s", sealedValue)).ConfigureAwait(false);
            _opened.Remember(keys, accountId, id, sealedValue, payload);
            // Should the transaction not commit, the kept fingerprint no longer matches the table's and the next reservation reads it all again.
            known.Add(new Guid(id), tag, payload, changesFingerprint: true);
            return new WindowReservation(account, id, totals, null) { Payload = payload, Tag = tag };
        }, cancellationToken).ConfigureAwait(false);
    }

    private static async Task<KnownWindows.Fingerprint> FingerprintAsync(DbConnection connection, DbTransaction transaction, byte[] accountId, CancellationToken cancellationToken)
    {
        KnownWindows.Fingerprint fingerprint = default;
        await StateDatabase.ReadRowsAsync(connection, transaction,
            "SELECT COUNT(*), CAST(COALESCE(SUM(tag & 2147483647), 0) AS BIGINT), CAST(COALESCE(SUM(tag >> 31), 0) AS BIGINT) FROM reservations WHERE account_id = @a",
            reader => fingerprint = new KnownWindows.Fingerprint(reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2)), cancellationToken,
            ("@a", accountId)).ConfigureAwait(false);
        return fingerprint;
    }

    /// <remarks>
    /// One statement, outside the account's write lock (it rides in the audit append's transaction, which takes the log's
    /// lock only): committing only lets a row count longer than its hold (its window membership, by creation time, does
    /// not change), and every reservation that ran meanwhile already counted it as held, so no check depends on when the
    /// commit lands. The row is re-sealed from what this instance sealed into it, not from what the database holds now;
    /// a row that is gone is a tampered store.
    /// </remarks>
    public StateChange? Commit(WindowReservation reservation)
    {
        if (reservation.Id is not { } id) return null;
        ReservationPayload held = reservation.Payload
            ?? throw new ArgumentException("This reservation was not made by a keystore's windows.", nameof(reservation));
        byte[] accountId = store.AccountId(reservation.Account);
        ReservationPayload committed = held with { Committed = true };
        object keys = store.Sealer.KeyGeneration;
        byte[] sealedValue = committed.Seal(store.Sealer, accountId, id);
        long tag = KnownWindows.NewTag();
        return new StateChange(
            async (connection, transaction) =>
            {
                int updated = await StateDatabase.ExecuteAsync(connection, transaction,
                    "UPDATE reservations SET keep_until = @k, tag = @t, sealed = @s WHERE reservation_id = @id AND account_id = @a", CancellationToken.None,
                    ("@k", committed.KeepUntilMs), ("@t", tag), ("@s", sealedValue), ("@id", id), ("@a", accountId)).ConfigureAwait(false);
                if (updated != 1)
                    throw StateProblems.TamperedRow("A reservation disappeared before it was committed.");
            },
            () =>
            {
                _opened.Remember(keys, accountId, id, sealedValue, committed);
                _known.Committed(Convert.ToHexString(accountId), new Guid(id), reservation.Tag, tag, committed);
            },
            // The row stays held until the caller releases it (or its hold lapses); what this instance kept of it is still true.
            static () => { });
    }

    /// <remarks>One statement outside the account's lock: taking a row away only lowers what a window holds, so a reservation
    /// running meanwhile errs towards refusing, never towards one more.</remarks>
    public async Task ReleaseAsync(WindowReservation reservation, CancellationToken cancellationToken = default)
    {
        if (reservation.Id is not { } id) return;
        byte[] accountId = store.AccountId(reservation.Account);
        _opened.Forget(id);
        _known.Forget(Convert.ToHexString(accountId));
        await store.ExecuteStatementAsync("DELETE FROM reservations WHERE reservation_id = @id AND account_id = @a", cancellationToken,
            ("@id", id), ("@a", accountId)).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<WindowTotal>> GetTotalsAsync(string account, IReadOnlyList<WindowCharge> charges, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        WindowSums.Validate(charges);
        if (charges.Count == 0) return [];
        byte[] accountId = store.AccountId(account);
        long nowMs = now.ToUnixTimeMilliseconds();
        return await store.ReadAsync(connection => TotalsAsync(connection, null, accountId, charges, nowMs, null, cancellationToken), cancellationToken).ConfigureAwait(false);
    }

    /// <param name="known">When given, every row read is kept in it (with its tag) for the next reservation.</param>
    private async Task<IReadOnlyList<WindowTotal>> TotalsAsync(DbConnection connection, DbTransaction? transaction, byte[] accountId,
        IReadOnlyList<WindowCharge> charges, long nowMs, KnownWindows.Account? known, CancellationToken cancellationToken)
    {
        var rows = new List<ReservationPayload>();
        object keys = store.Sealer.KeyGeneration;
        await StateDatabase.ReadRowsAsync(connection, transaction, "SELECT reservation_id, sealed, tag FROM reservations WHERE account_id = @a AND keep_until >= @now", reader =>
        {
            byte[] id = (byte[])reader.GetValue(0);
            byte[] sealedValue = (byte[])reader.GetValue(1);
            ReservationPayload? row = _opened.Find(keys, accountId, id, sealedValue);
            if (row is null)
            {
                row = ReservationPayload.Open(store.Sealer, accountId, id, sealedValue);
                _opened.Remember(keys, accountId, id, sealedValue, row);
            }
            rows.Add(row);
            if (known is not null && id.Length == 16)
                known.Add(new Guid(id), reader.GetInt64(2), row, changesFingerprint: false);
        }, cancellationToken, ("@a", accountId), ("@now", nowMs)).ConfigureAwait(false);
        return WindowSums.Sum(rows, charges, nowMs);
    }
}
