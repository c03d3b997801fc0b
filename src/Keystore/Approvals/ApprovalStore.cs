using System.Buffers.Text;
using System.Data.Common;
using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using Keystore.Problems;
using Keystore.State;

namespace Keystore.Approvals;

/// <summary>
/// Requests waiting for approvals, in the sealed store (table <c>approvals</c>), so any instance of a fleet can finish
/// them. A row's id is a keyed hash of (account, request id); its value is sealed at its version, and every change
/// happens under the account's write lock at version + 1, so two instances voting at once are serialised and a request
/// reaches its approvals (and is signed) once.
/// </summary>
/// <remarks>
/// <c>open_until</c> (the expiry while pending, the lease while signing, 0 after) and <c>created_at</c> are plaintext hints for
/// listing and the per-account cap; the sealed copy is the one believed. A finished row is kept 30 days past its
/// expiry, then deleted when the account next opens a request.
/// </remarks>
public sealed class ApprovalStore(StateStore store)
{
    private const string Table = "approvals";
    private const int IdBytes = 16;
    private static readonly TimeSpan KeepFinished = TimeSpan.FromDays(30);

    /// <summary>A fresh request id: 128 bits from the OS CSPRNG, base64url.</summary>
    public static string NewId() => Base64Url.EncodeToString(Security.PooledRandom.GetBytes(IdBytes));

    /// <summary>Whether <paramref name="id"/> is the spelling of a request id (22 base64url characters of 16 bytes).</summary>
    public static bool IsValidId(string? id)
    {
        if (id is not { Length: 22 } || !id.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_')) return false;
        // 22 characters carry 132 bits: the id is canonical only when the 4 spare bits are zero (one spelling per id).
        Span<byte> bytes = stackalloc byte[24];
        return Convert.TryFromBase64Chars(id.Replace('-', '+').Replace('_', '/') + "==", bytes, out int written) && written == IdBytes
            && Base64Url.EncodeToString(bytes[..IdBytes]) == id;
    }

    /// <summary>Stores a new request; false when the account already has <paramref name="maxOpen"/> open ones.</summary>
    public Task<bool> CreateAsync(PendingApproval approval, int maxOpen, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(approval);
        byte[] accountId = store.AccountId(approval.Account);
        byte[] rowId = RowId(approval.Account, approval.Id);
        long now = store.NowMs;
        return store.WriteAsync(accountId, async (c, t) =>
        {
            object? open = await StateDatabase.ScalarAsync(c, t,
                "SELECT COUNT(*) FROM (SELECT 1 FROM approvals WHERE account_id = @a AND open_until > @now LIMIT @cap) AS live", cancellationToken,
                ("@a", accountId), ("@now", now), ("@cap", (long)maxOpen)).ConfigureAwait(false);
            if (Convert.ToInt64(open, CultureInfo.InvariantCulture) >= maxOpen) return false;
            await StateDatabase.ExecuteAsync(c, t, "DELETE FROM approvals WHERE account_id = @a AND keep_until < @now", cancellationToken,
                ("@a", accountId), ("@now", now)).ConfigureAwait(false);
            await StateDatabase.ExecuteAsync(c, t,
                "INSERT INTO approvals (approval_id, account_id, created_at, open_until, keep_until, version, sealed) VALUES (@r, @a, @c, @o, @k, 1, @s)",
                cancellationToken, ("@r", rowId), ("@a", accountId), ("@c", approval.CreatedAt.ToUnixTimeMilliseconds()), ("@o", OpenUntil(approval)),
                ("@k", KeepUntil(approval)), ("@s", Seal(rowId, 1, approval))).ConfigureAwait(false);
            return true;
        }, cancellationToken);
    }

    /// <summary>The request, or null when the account has none with this id.</summary>
    public Task<PendingApproval?> GetAsync(string account, string id, CancellationToken cancellationToken)
    {
        byte[] rowId = RowId(account, id);
        return store.ReadAsync(async c => (await ReadAsync(c, null, rowId, cancellationToken).ConfigureAwait(false))?.Approval, cancellationToken);
    }

    /// <summary>
    /// Reads the request under the account's write lock and lets <paramref name="change"/> decide: a non-null new value is
    /// sealed at the next version in the same transaction. Null when there is no such request.
    /// </summary>
    public Task<(PendingApproval Approval, T Outcome)?> ChangeAsync<T>(string account, string id, Func<PendingApproval, (PendingApproval? Next, T Outcome)> change,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(change);
        byte[] accountId = store.AccountId(account);
        byte[] rowId = RowId(account, id);
        return store.WriteAsync<(PendingApproval, T)?>(accountId, async (c, t) =>
        {
            (PendingApproval Approval, long Version)? current = await ReadAsync(c, t, rowId, cancellationToken).ConfigureAwait(false);
            if (current is not { } row) return null;
            (PendingApproval? next, T outcome) = change(row.Approval);
            if (next is null) return (row.Approval, outcome);
            if (!await ReplaceAsync(c, t, rowId, row.Version, next, cancellationToken).ConfigureAwait(false))
                throw StateProblems.TamperedRow("An approval row changed under its account's write lock.");
            return (next, outcome);
        }, cancellationToken);
    }

    /// <summary>
    /// The write that ends attempt <paramref name="attempt"/> of a signing request with <paramref name="finish"/>'s value, in
    /// another writer's transaction (the audit entry's that logs the signature and charges its windows), so the three land
    /// together. Should the request no longer be signing under this attempt (its lease lapsed and another attempt took it
    /// over, or finished it), it throws <see cref="ApprovalAttemptSupersededException"/> and that transaction writes nothing.
    /// Checked by the row's version, not the account's lock: whoever changed the row since it was read makes the update miss.
    /// </summary>
    public async Task<PendingApproval> FinishAttemptAsync(DbConnection connection, DbTransaction transaction, string account, string id, int attempt,
        Func<PendingApproval, PendingApproval> finish)
    {
        ArgumentNullException.ThrowIfNull(finish);
        byte[] rowId = RowId(account, id);
        (PendingApproval Approval, long Version)? current = await ReadAsync(connection, transaction, rowId, CancellationToken.None).ConfigureAwait(false);
        if (current is not { } row || row.Approval.State != ApprovalStates.Signing || row.Approval.SigningAttempts != attempt)
            throw new ApprovalAttemptSupersededException(id, attempt);
        PendingApproval next = finish(row.Approval);
        if (!await ReplaceAsync(connection, transaction, rowId, row.Version, next, CancellationToken.None).ConfigureAwait(false))
            throw new ApprovalAttemptSupersededException(id, attempt);
        return next;
    }

    /// <summary>Seals <paramref name="next"/> at version + 1 in place of the row read at <paramref name="version"/>; false when the row is no longer at it.</summary>
    private async Task<bool> ReplaceAsync(DbConnection c, DbTransaction t, byte[] rowId, long version, PendingApproval next, CancellationToken cancellationToken) =>
        await StateDatabase.ExecuteAsync(c, t,
            "UPDATE approvals SET version = @v, open_until = @o, sealed = @s WHERE approval_id = @r AND version = @old", cancellationToken,
            ("@v", version + 1), ("@o", OpenUntil(next)), ("@s", Seal(rowId, version + 1, next)), ("@r", rowId), ("@old", version)).ConfigureAwait(false) == 1;

    /// <summary>The account's open requests, oldest first, <paramref name="limit"/> at a time after <paramref name="cursor"/>.</summary>
    public Task<(IReadOnlyList<PendingApproval> Page, string? Next)> ListOpenAsync(string account, ApprovalCursor? cursor, int limit, CancellationToken cancellationToken)
    {
        byte[] accountId = store.AccountId(account);
        long now = store.NowMs;
        return store.ReadAsync(async c =>
        {
            await using DbCommand command = StateDatabase.Command(c, null,
                "SELECT approval_id, version, sealed FROM approvals WHERE account_id = @a AND open_until > @now "
                + "AND (created_at > @c OR (created_at = @c AND approval_id > @r)) ORDER BY created_at, approval_id LIMIT @l",
                ("@a", accountId), ("@now", now), ("@c", cursor?.CreatedMs ?? -1), ("@r", cursor?.RowId ?? []), ("@l", (long)limit + 1));
            var page = new List<(PendingApproval Approval, byte[] RowId)>();
            await using (DbDataReader reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
            {
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    byte[] rowId = (byte[])reader.GetValue(0);
                    page.Add((Open(rowId, reader.GetInt64(1), (byte[])reader.GetValue(2)), rowId));
                }
            }
            string? next = null;
            if (page.Count > limit)
            {
                page.RemoveAt(limit);
                (PendingApproval last, byte[] lastRow) = page[^1];
                next = new ApprovalCursor(last.CreatedAt.ToUnixTimeMilliseconds(), lastRow).ToString();
            }
            return ((IReadOnlyList<PendingApproval>)page.Select(p => p.Approval).ToArray(), next);
        }, cancellationToken);
    }

    /// <summary>The sweeper's query across every account; index <c>approvals_by_open_until</c> (migration 6) answers it in order.</summary>
    internal const string DueQuery =
        "SELECT approval_id, version, sealed FROM approvals WHERE open_until > 0 AND open_until <= @now ORDER BY open_until, approval_id LIMIT @l";

    /// <summary>
    /// Requests of every account whose time is up (pending past expiry, or signing past the lease), most overdue first,
    /// at most <paramref name="limit"/>; rows that do not open are counted in <c>Unreadable</c>, not returned.
    /// </summary>
    public Task<(IReadOnlyList<PendingApproval> Due, int Unreadable)> ListDueAsync(int limit, CancellationToken cancellationToken)
    {
        long now = store.NowMs;
        return store.ReadAsync(async c =>
        {
            await using DbCommand command = StateDatabase.Command(c, null,
                DueQuery,
                ("@now", now), ("@l", (long)limit));
            var due = new List<PendingApproval>();
            int unreadable = 0;
            await using DbDataReader reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                try
                {
                    due.Add(Open((byte[])reader.GetValue(0), reader.GetInt64(1), (byte[])reader.GetValue(2)));
                }
                catch (ProblemException)
                {
                    unreadable++;
                }
            }
            return ((IReadOnlyList<PendingApproval>)due, unreadable);
        }, cancellationToken);
    }

    private byte[] RowId(string account, string id) => store.Sealer.RowId("approval", account, id);

    private async Task<(PendingApproval Approval, long Version)?> ReadAsync(DbConnection c, DbTransaction? t, byte[] rowId, CancellationToken cancellationToken)
    {
        await using DbCommand command = StateDatabase.Command(c, t, "SELECT version, sealed FROM approvals WHERE approval_id = @r", ("@r", rowId));
        await using DbDataReader reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false)) return null;
        long version = reader.GetInt64(0);
        return (Open(rowId, version, (byte[])reader.GetValue(1)), version);
    }

    private byte[] Seal(byte[] rowId, long version, PendingApproval approval) =>
        store.Sealer.Seal(Table, rowId, version, JsonSerializer.SerializeToUtf8Bytes(approval, ApprovalStoreJson.Default.PendingApproval));

    private PendingApproval Open(byte[] rowId, long version, byte[] sealedValue) =>
        JsonSerializer.Deserialize(store.Sealer.Open(Table, rowId, version, sealedValue), ApprovalStoreJson.Default.PendingApproval)
        ?? throw StateProblems.TamperedRow("An approval row is empty.");

    /// <summary>
    /// Until when the request needs nobody to act on it: a pending one until it expires, a signing one until its lease
    /// lapses; 0 once finished. <see cref="ListDueAsync"/> reads this to find what to expire or take over.
    /// </summary>
    private static long OpenUntil(PendingApproval approval) => approval.State switch
    {
        ApprovalStates.Pending => approval.ExpiresAt.ToUnixTimeMilliseconds(),
        ApprovalStates.Signing => (approval.SigningLeaseUntil ?? DateTimeOffset.UnixEpoch).ToUnixTimeMilliseconds(),
        _ => 0,
    };

    private static long KeepUntil(PendingApproval approval) => (approval.ExpiresAt + KeepFinished).ToUnixTimeMilliseconds();
}
