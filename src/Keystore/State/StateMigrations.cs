using System.Data.Common;

namespace Keystore.State;

/// <summary>
/// The schema, as numbered migrations applied in order at boot, each once, inside one transaction under a lock that
/// every instance takes (so a fleet booting together migrates once). A database migrated by a newer keystore is refused:
/// this one would not know what its rows mean.
/// </summary>
/// <remarks>
/// Plaintext columns are only what queries need: keyed hashes as row ids, expiry times, versions. Everything else is in
/// <c>sealed</c>. Where a plaintext column is a hint (a reservation's times), the sealed copy is the one believed.
/// </remarks>
public static class StateMigrations
{
    /// <summary>The advisory lock the migrations run under (PostgreSQL); any value that no account hash is likely to take.</summary>
    private const long MigrationLock = 0x6e_6b_73_74_61_74_65; // "nkstate"

    public static IReadOnlyList<string[]> All(string blob) =>
    [
        // 1: agents and account policies, nonces, spending windows, idempotent answers.
        [
            $"CREATE TABLE meta (name TEXT PRIMARY KEY, sealed {blob} NOT NULL)",
            $"CREATE TABLE accounts (account_id {blob} PRIMARY KEY, version BIGINT NOT NULL, sealed {blob} NOT NULL)",
            $"CREATE TABLE agents (account_id {blob} NOT NULL, agent_id {blob} NOT NULL, version BIGINT NOT NULL, sealed {blob} NOT NULL, PRIMARY KEY (account_id, agent_id))",
            $"CREATE TABLE nonces (nonce_id {blob} PRIMARY KEY, account_id {blob} NOT NULL, expires_at BIGINT NOT NULL)",
            "CREATE INDEX nonces_by_account ON nonces (account_id, expires_at)",
            "CREATE INDEX nonces_by_expiry ON nonces (expires_at)",
            $"CREATE TABLE reservations (reservation_id {blob} PRIMARY KEY, account_id {blob} NOT NULL, keep_until BIGINT NOT NULL, sealed {blob} NOT NULL)",
            "CREATE INDEX reservations_by_account ON reservations (account_id, keep_until)",
            "CREATE INDEX reservations_by_expiry ON reservations (keep_until)",
            $"CREATE TABLE idempotency (request_id {blob} PRIMARY KEY, account_id {blob} NOT NULL, expires_at BIGINT NOT NULL, sealed {blob} NOT NULL)",
            "CREATE INDEX idempotency_by_expiry ON idempotency (expires_at)",
        ],
        // 2: the audit log (Keystore.Audit.AuditLog): a hash chain, signed, its entries sealed.
        [
            $"CREATE TABLE audit_log (seq BIGINT PRIMARY KEY, at_ms BIGINT NOT NULL, account_id {blob} NOT NULL, agent_id {blob}, prev_hash {blob} NOT NULL, "
                + $"content_hash {blob} NOT NULL, entry_hash {blob} NOT NULL, signature {blob} NOT NULL, sealed {blob} NOT NULL)",
            "CREATE INDEX audit_log_by_account ON audit_log (account_id, seq)",
        ],
        // 3: per-account webhooks (Keystore.Webhooks.WebhookStore): URL, events and HMAC secret, sealed.
        [
            $"CREATE TABLE webhooks (account_id {blob} PRIMARY KEY, version BIGINT NOT NULL, sealed {blob} NOT NULL)",
        ],
        // 4: a random tag per reservation row, redrawn by each write, so an account's rows have a cheap fingerprint
        // (count and tag sums, from the index alone) that tells whether what an instance keeps of them is still current.
        [
            "ALTER TABLE reservations ADD COLUMN tag BIGINT NOT NULL DEFAULT 0",
            "DROP INDEX reservations_by_account",
            "CREATE INDEX reservations_by_account ON reservations (account_id, keep_until, tag)",
        ],
        // 5: requests waiting for m-of-n approvals (Keystore.Approvals.ApprovalStore), sealed; open_until is a listing hint.
        [
            $"CREATE TABLE approvals (approval_id {blob} PRIMARY KEY, account_id {blob} NOT NULL, created_at BIGINT NOT NULL, open_until BIGINT NOT NULL, "
                + $"keep_until BIGINT NOT NULL, version BIGINT NOT NULL, sealed {blob} NOT NULL)",
            "CREATE INDEX approvals_by_account ON approvals (account_id, created_at, approval_id)",
        ],
        // 6: the sweeper's query (Keystore.Approvals.ApprovalStore.ListDueAsync: open_until in (0, now], most overdue first)
        // reads this index instead of every account's rows.
        [
            "CREATE INDEX approvals_by_open_until ON approvals (open_until, approval_id)",
        ],
        // 7 (SQLite only): reservations without the unique index on their id. SQLite's one process keeps its windows in
        // memory and never looks a row up by id, while every index is one more page written per signed request (the
        // commit's insert took a third less without it, measured). Ids are 16 random bytes; a row the host duplicates
        // opens to the same reservation and is counted once. PostgreSQL's fleet updates and deletes rows by id: it keeps it.
        blob == SqliteStateDatabase.Blob
            ?
            [
                $"CREATE TABLE reservations_v7 (reservation_id {blob} NOT NULL, account_id {blob} NOT NULL, keep_until BIGINT NOT NULL, sealed {blob} NOT NULL, tag BIGINT NOT NULL DEFAULT 0)",
                "INSERT INTO reservations_v7 (reservation_id, account_id, keep_until, sealed, tag) SELECT reservation_id, account_id, keep_until, sealed, tag FROM reservations",
                "DROP TABLE reservations",
                "ALTER TABLE reservations_v7 RENAME TO reservations",
                "CREATE INDEX reservations_by_account ON reservations (account_id, keep_until, tag)",
                "CREATE INDEX reservations_by_expiry ON reservations (keep_until)",
            ]
            : [],
        // 8 (SQLite only): no index on reservations' keep_until. It served only the prune, and it was one more page written
        // per signed request (~20 µs of the agent path's commit, measured); SQLite's prune sweeps the table in rowid order
        // instead (SqliteStateDatabase.PruneReservationsAsync). PostgreSQL's fleet keeps it.
        blob == SqliteStateDatabase.Blob ? ["DROP INDEX IF EXISTS reservations_by_expiry"] : [],
    ];

    /// <summary>Applies what is missing; returns the schema version the database is at.</summary>
    public static Task<int> RunAsync(StateDatabase database, long now, CancellationToken cancellationToken) =>
        database.WriteAsync(MigrationLock, async (connection, transaction) =>
        {
            await StateDatabase.ExecuteAsync(connection, transaction,
                "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at BIGINT NOT NULL)", cancellationToken).ConfigureAwait(false);
            object? current = await StateDatabase.ScalarAsync(connection, transaction, "SELECT MAX(version) FROM schema_migrations", cancellationToken).ConfigureAwait(false);
            int version = current is null ? 0 : Convert.ToInt32(current, System.Globalization.CultureInfo.InvariantCulture);
            IReadOnlyList<string[]> migrations = All(database.BlobType);
            if (version > migrations.Count)
                throw new Boot.BootFailureException(
                    $"The state database is at schema version {version}, newer than this keystore knows ({migrations.Count}); run a keystore at least as new.", retryable: false);
            for (int v = version + 1; v <= migrations.Count; v++)
            {
                foreach (string statement in migrations[v - 1])
                    await StateDatabase.ExecuteAsync(connection, transaction, statement, cancellationToken).ConfigureAwait(false);
                await StateDatabase.ExecuteAsync(connection, transaction, "INSERT INTO schema_migrations (version, applied_at) VALUES (@v, @t)", cancellationToken,
                    ("@v", v), ("@t", now)).ConfigureAwait(false);
            }
            return migrations.Count;
        }, cancellationToken);
}
