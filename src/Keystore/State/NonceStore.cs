using System.Collections.Concurrent;

namespace Keystore.State;

/// <summary>
/// The NEP-413 nonces accepted while their request could still pass the timestamp check, in the shared store, so a
/// captured request is refused after a restart and at every other instance too. A row is a keyed hash of (public key,
/// nonce), the account's keyed hash and an expiry; nothing else. Each account may hold at most
/// <c>Keystore:Auth:NonceCapacity</c> live nonces, so no one account can flood the table.
/// </summary>
/// <remarks>
/// Replay refusal is exact: the nonce's row id is the table's primary key, so of two uses of one nonce (on one instance
/// or two) exactly one inserts it. The capacity is a flood guard, and counting an account's live rows on every request
/// costs time linear in them; so each instance keeps an estimate per account (its last exact count plus what it inserted
/// since) and counts exactly, under the account's lock as before, only when the estimate is older than
/// <see cref="RecountEvery"/> or within a quarter of the cap. The common request is then one insert, written together
/// with the other requests waiting at that moment (<see cref="GroupCommit{TItem, TResult}"/>). What another instance of
/// a fleet inserted since this one last counted can make an account pass its cap by that much, for at most
/// <see cref="RecountEvery"/>: a flood still stops within seconds.
/// </remarks>
public sealed class NonceStore
{
    /// <summary>How old an account's estimate may be before its live nonces are counted again.</summary>
    public static readonly TimeSpan RecountEvery = TimeSpan.FromSeconds(5);

    // Estimates for this many accounts at most; beyond that, accounts without one are counted exactly every time.
    private const int EstimateCapacity = 100_000;
    private const string InsertSql = "INSERT INTO nonces (nonce_id, account_id, expires_at) VALUES (@n, @a, @e) ON CONFLICT (nonce_id) DO NOTHING";

    private readonly StateStore _store;
    private readonly GroupCommit<NonceRow, bool> _inserts;
    private readonly ConcurrentDictionary<string, LiveEstimate> _estimates = new(StringComparer.Ordinal);

    public NonceStore(StateStore store)
    {
        _store = store;
        _inserts = new GroupCommit<NonceRow, bool>(InsertAsync);
    }

    /// <summary>
    /// Uses a nonce. The account's owner keys share one bound of <paramref name="capacityPerAccount"/> live nonces and each
    /// agent key has a bound of its own: an agent spending every nonce it may (a runaway or hostile one, which is what the
    /// freeze and revocation are for) then leaves the owner's share whole, so the owner can still stop it, and another
    /// agent's share too. The table holds at most (1 + agent keys) × the capacity per account.
    /// </summary>
    public async Task<Auth.NonceUse> TryUseAsync(string account, byte[] publicKey, bool agentKey, byte[] nonce, DateTimeOffset expires, int capacityPerAccount,
        CancellationToken cancellationToken)
    {
        // The share's id goes in the account_id column: counted, locked and estimated by it, as an account was alone before.
        byte[] accountId = agentKey ? _store.Sealer.StableRowId("agent-nonces", account, Convert.ToHexStringLower(publicKey)) : _store.AccountId(account);
        byte[] message = new byte[6 + publicKey.Length + nonce.Length];
        "nonce\0"u8.CopyTo(message);
        publicKey.CopyTo(message, 6);
        nonce.CopyTo(message, 6 + publicKey.Length);
        byte[] nonceId = _store.Sealer.RowId(message);
        long now = _store.NowMs;
        var row = new NonceRow(nonceId, accountId, expires.ToUnixTimeMilliseconds());
        string key = Convert.ToHexString(accountId);

        Auth.NonceUse use;
        LiveEstimate? estimate = _estimates.GetValueOrDefault(key);
        if (estimate is not null && estimate.AllowsFastPath(now, capacityPerAccount))
        {
            use = await _inserts.RunAsync(row).ConfigureAwait(false) ? Auth.NonceUse.Accepted : Auth.NonceUse.Replayed;
            if (use == Auth.NonceUse.Accepted)
                estimate.Added();
        }
        else
        {
            (use, long live) = await CountAndInsertAsync(row, now, capacityPerAccount, cancellationToken).ConfigureAwait(false);
            if (estimate is not null || _estimates.Count < EstimateCapacity)
                _estimates[key] = new LiveEstimate(live, now);
        }

        await _store.PruneIfDueAsync(cancellationToken).ConfigureAwait(false);
        return use;
    }

    /// <summary>The exact path: the account's live nonces counted (up to the cap) and the nonce inserted under the account's lock.</summary>
    private Task<(Auth.NonceUse Use, long Live)> CountAndInsertAsync(NonceRow row, long now, int capacityPerAccount, CancellationToken cancellationToken) =>
        _store.WriteAsync(row.AccountId, async (connection, transaction) =>
        {
            object? counted = await StateDatabase.ScalarAsync(connection, transaction,
                "SELECT COUNT(*) FROM (SELECT 1 FROM nonces WHERE account_id = @a AND expires_at >= @now LIMIT @cap) AS live", cancellationToken,
                ("@a", row.AccountId), ("@now", now), ("@cap", (long)capacityPerAccount)).ConfigureAwait(false);
            long live = Convert.ToInt64(counted, System.Globalization.CultureInfo.InvariantCulture);
            // Checked before the insert so a full account cannot tell a replay from a fresh nonce by the answer.
            if (live >= capacityPerAccount)
            {
                bool seen = await StateDatabase.ScalarAsync(connection, transaction, "SELECT 1 FROM nonces WHERE nonce_id = @n", cancellationToken, ("@n", row.NonceId)).ConfigureAwait(false) is not null;
                return (seen ? Auth.NonceUse.Replayed : Auth.NonceUse.Busy, live);
            }
            // An expired row with this id (a replay after its window) is refused by the timestamp check before it gets here.
            int inserted = await StateDatabase.ExecuteAsync(connection, transaction, InsertSql, cancellationToken,
                ("@n", row.NonceId), ("@a", row.AccountId), ("@e", row.ExpiresMs)).ConfigureAwait(false);
            return inserted == 1 ? (Auth.NonceUse.Accepted, live + 1) : (Auth.NonceUse.Replayed, live);
        }, cancellationToken);

    /// <summary>One transaction for the nonces waiting together: each insert says on its own whether the nonce was new.</summary>
    private Task<bool[]> InsertAsync(IReadOnlyList<NonceRow> rows) =>
        _store.WriteUnlockedAsync(async (connection, transaction) =>
        {
            var inserted = new bool[rows.Count];
            for (int i = 0; i < rows.Count; i++)
            {
                NonceRow row = rows[i];
                inserted[i] = await StateDatabase.ExecuteAsync(connection, transaction, InsertSql, CancellationToken.None,
                    ("@n", row.NonceId), ("@a", row.AccountId), ("@e", row.ExpiresMs)).ConfigureAwait(false) == 1;
            }
            return inserted;
        }, CancellationToken.None);

    private sealed record NonceRow(byte[] NonceId, byte[] AccountId, long ExpiresMs);

    /// <summary>An account's live nonces as this instance last counted them, plus what it inserted since.</summary>
    private sealed class LiveEstimate(long counted, long countedAtMs)
    {
        private long _live = counted;

        public bool AllowsFastPath(long nowMs, int capacity) =>
            nowMs - countedAtMs < (long)RecountEvery.TotalMilliseconds && Interlocked.Read(ref _live) < capacity - Math.Max(1, capacity / 4);

        public void Added() => Interlocked.Increment(ref _live);
    }
}
