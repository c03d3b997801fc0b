using System.Security.Cryptography;
using System.Text;

namespace Keystore.State;

/// <summary>
/// Answers to sign requests sent with an <c>Idempotency-Key</c>, per account, for 24 hours: the same key with the same
/// request gets the same answer (a client retrying after a lost connection does not get a second signature), the same key
/// with another request gets 409. The row id is a keyed hash of (account, key); the request's hash and the answer are sealed.
/// </summary>
public sealed class IdempotencyStore(StateStore store)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(24);

    /// <summary>A request still running after this is taken to have died (its keystore stopped): the key may be used again.</summary>
    public static readonly TimeSpan PendingTimeout = TimeSpan.FromMinutes(2);

    private const string Table = "idempotency";
    private const byte Pending = 0;
    private const byte Done = 1;

    /// <summary>
    /// The request's fingerprint: the key that signed it, method, path with query, and body. The signer is part of it
    /// because an answer is the decision about that caller: an owner's stored signature replayed to an agent sending the same
    /// key and body would hand the agent what its policy never allowed it, so another caller's request is another request (409).
    /// </summary>
    public static byte[] RequestHash(string callerPublicKey, string method, string pathAndQuery, ReadOnlySpan<byte> body)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        sha.AppendData(Encoding.UTF8.GetBytes($"{callerPublicKey}\n{method} {pathAndQuery}\n"));
        sha.AppendData(body);
        return sha.GetHashAndReset();
    }

    public Task<IdempotencyStart> BeginAsync(string account, string key, byte[] requestHash, CancellationToken cancellationToken)
    {
        byte[] accountId = store.AccountId(account);
        byte[] requestId = store.Sealer.RowId(Table, account, key);
        long now = store.NowMs;
        return store.WriteAsync(accountId, async (connection, transaction) =>
        {
            object? existing = await StateDatabase.ScalarAsync(connection, transaction,
                "SELECT sealed FROM idempotency WHERE request_id = @r AND expires_at >= @now", cancellationToken, ("@r", requestId), ("@now", now)).ConfigureAwait(false);
            if (existing is byte[] sealedValue)
            {
                Entry entry = Entry.Parse(store.Sealer.Open(Table, requestId, 0, sealedValue));
                bool same = CryptographicOperations.FixedTimeEquals(entry.RequestHash, requestHash);
                if (entry.State == Done)
                    return same ? new IdempotencyStart(IdempotencyOutcome.Replay, new StoredResponse(entry.Status, entry.Body)) : new IdempotencyStart(IdempotencyOutcome.Conflict);
                if (entry.CreatedAtMs + (long)PendingTimeout.TotalMilliseconds >= now)
                    return new IdempotencyStart(same ? IdempotencyOutcome.InProgress : IdempotencyOutcome.Conflict);
            }
            await WriteAsync(connection, transaction, accountId, requestId, new Entry(Pending, requestHash, now, 0, ""), now, cancellationToken).ConfigureAwait(false);
            return new IdempotencyStart(IdempotencyOutcome.Started);
        }, cancellationToken);
    }

    /// <summary>Keeps the answer of a request <see cref="BeginAsync"/> started.</summary>
    public Task CompleteAsync(string account, string key, byte[] requestHash, StoredResponse response, CancellationToken cancellationToken)
    {
        byte[] accountId = store.AccountId(account);
        byte[] requestId = store.Sealer.RowId(Table, account, key);
        long now = store.NowMs;
        return store.WriteAsync(accountId, (connection, transaction) =>
            WriteAsync(connection, transaction, accountId, requestId, new Entry(Done, requestHash, now, response.Status, response.Body), now, cancellationToken), cancellationToken);
    }

    /// <summary>The request failed: the key is free again, so a retry runs (refusals are not kept).</summary>
    public Task AbandonAsync(string account, string key, CancellationToken cancellationToken)
    {
        byte[] accountId = store.AccountId(account);
        byte[] requestId = store.Sealer.RowId(Table, account, key);
        return store.WriteAsync(accountId, (connection, transaction) =>
            StateDatabase.ExecuteAsync(connection, transaction, "DELETE FROM idempotency WHERE request_id = @r", cancellationToken, ("@r", requestId)), cancellationToken);
    }

    private async Task<int> WriteAsync(System.Data.Common.DbConnection connection, System.Data.Common.DbTransaction transaction,
        byte[] accountId, byte[] requestId, Entry entry, long now, CancellationToken cancellationToken) =>
        await StateDatabase.ExecuteAsync(connection, transaction,
            "INSERT INTO idempotency (request_id, account_id, expires_at, sealed) VALUES (@r, @a, @e, @s) " +
            "ON CONFLICT (request_id) DO UPDATE SET expires_at = excluded.expires_at, sealed = excluded.sealed", cancellationToken,
            ("@r", requestId), ("@a", accountId), ("@e", now + (long)Lifetime.TotalMilliseconds),
            ("@s", store.Sealer.Seal(Table, requestId, 0, entry.Serialize()))).ConfigureAwait(false);

    private sealed record Entry(byte State, byte[] RequestHash, long CreatedAtMs, int Status, string Body)
    {
        public byte[] Serialize()
        {
            using var stream = new MemoryStream();
            using (var writer = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true))
            {
                writer.Write(State);
                writer.Write(RequestHash);
                writer.Write(CreatedAtMs);
                writer.Write(Status);
                writer.Write(Body);
            }
            return stream.ToArray();
        }

        public static Entry Parse(byte[] data)
        {
            using var reader = new BinaryReader(new MemoryStream(data), Encoding.UTF8);
            return new Entry(reader.ReadByte(), reader.ReadBytes(32), reader.ReadInt64(), reader.ReadInt32(), reader.ReadString());
        }
    }
}
