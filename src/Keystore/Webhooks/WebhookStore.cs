using System.Data.Common;
using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using Keystore.Caching;
using Keystore.State;

namespace Keystore.Webhooks;

/// <summary>
/// Each account's webhook in the sealed store (table <c>webhooks</c>, one row an account under its keyed-hash id): the URL,
/// the kinds and the HMAC secret are sealed like every other row, so the database shows neither where an account's events
/// go nor the key that signs them. Read through on every delivery, so a change holds at once on every instance, with one
/// exception: an account read as having no webhook is remembered as such for <see cref="NoWebhookRecheck"/>
/// (<see cref="KnownWithoutWebhook"/>), so the audit entries of the many accounts without one cost no read each. A
/// webhook set through this instance holds at once; one set through another instance of a fleet, within that time.
/// </summary>
public sealed class WebhookStore(StateStore store)
{
    public const string Table = "webhooks";

    /// <summary>How long an account read as having no webhook is taken to have none without reading again.</summary>
    public static readonly TimeSpan NoWebhookRecheck = TimeSpan.FromSeconds(1);

    // Bounded like every table kept on behalf of clients; beyond it, accounts are read as before.
    private readonly BoundedCache<string, bool> _without = new(100_000, NoWebhookRecheck, store.Time, StringComparer.Ordinal);

    // Bumped (under the gate, with the account forgotten) by every write through this instance, before and after it
    // commits: a read that overlapped one must not remember "none".
    private readonly Lock _gate = new();
    private long _writes;
    private long _reads;

    /// <summary>Reads of the table finished since start (for tests: a delivery the cache answers costs none).</summary>
    internal long Reads => Interlocked.Read(ref _reads);

    /// <summary>
    /// True when <paramref name="account"/> was read as having no webhook less than <see cref="NoWebhookRecheck"/> ago
    /// and none was set through this instance since: its audit entries need no delivery and no read.
    /// </summary>
    public bool KnownWithoutWebhook(string account) => _without.TryGetValue(account, out _);

    public async Task<WebhookRegistration?> GetAsync(string account, CancellationToken cancellationToken)
    {
        byte[] accountId = store.AccountId(account);
        long writes;
        lock (_gate) writes = _writes;
        try
        {
            WebhookRegistration? webhook = await store.ReadAsync(async connection =>
            {
                (long Version, byte[] Sealed)? row = await ReadAsync(connection, null, accountId, cancellationToken).ConfigureAwait(false);
                return row is { } r ? Parse(store.Sealer.Open(Table, accountId, r.Version, r.Sealed)) : null;
            }, cancellationToken).ConfigureAwait(false);
            if (webhook is null)
            {
                lock (_gate)
                    if (_writes == writes)
                        _without.Set(account, true);
            }
            return webhook;
        }
        finally
        {
            // Counted once the read is over, "none" remembered: a test that waits for the count then sees the memory.
            Interlocked.Increment(ref _reads);
        }
    }

    /// <summary>Stores (or replaces) the account's webhook.</summary>
    public async Task SetAsync(string account, WebhookRegistration webhook, CancellationToken cancellationToken)
    {
        byte[] accountId = store.AccountId(account);
        Forget(account);
        await store.WriteAsync(accountId, async (connection, transaction) =>
        {
            long version = ((await ReadAsync(connection, transaction, accountId, cancellationToken).ConfigureAwait(false))?.Version ?? 0) + 1;
            byte[] plaintext = Serialize(webhook);
            try
            {
                byte[] sealedValue = store.Sealer.Seal(Table, accountId, version, plaintext);
                await StateDatabase.ExecuteAsync(connection, transaction, $"DELETE FROM {Table} WHERE account_id = @a", cancellationToken, ("@a", accountId)).ConfigureAwait(false);
                await StateDatabase.ExecuteAsync(connection, transaction, $"INSERT INTO {Table} (account_id, version, sealed) VALUES (@a, @v, @s)", cancellationToken,
                    ("@a", accountId), ("@v", version), ("@s", sealedValue)).ConfigureAwait(false);
            }
            finally
            {
                CryptographicOperations.ZeroMemory(plaintext);
            }
            return 0;
        }, cancellationToken).ConfigureAwait(false);
        // Again once committed: a read that began before the write and ended after it may have remembered "none".
        Forget(account);
    }

    private void Forget(string account)
    {
        lock (_gate)
        {
            _writes++;
            _without.Remove(account);
        }
    }

    /// <summary>Removes the account's webhook; false when it had none.</summary>
    public Task<bool> DeleteAsync(string account, CancellationToken cancellationToken)
    {
        byte[] accountId = store.AccountId(account);
        return store.WriteAsync(accountId, async (connection, transaction) =>
            await StateDatabase.ExecuteAsync(connection, transaction, $"DELETE FROM {Table} WHERE account_id = @a", cancellationToken, ("@a", accountId)).ConfigureAwait(false) > 0,
            cancellationToken);
    }

    private static async Task<(long Version, byte[] Sealed)?> ReadAsync(DbConnection connection, DbTransaction? transaction, byte[] accountId, CancellationToken cancellationToken)
    {
        (long Version, byte[] Sealed)? row = null;
        await StateDatabase.ReadRowsAsync(connection, transaction, $"SELECT version, sealed FROM {Table} WHERE account_id = @a",
            reader => row = (reader.GetInt64(0), (byte[])reader.GetValue(1)), cancellationToken, ("@a", accountId)).ConfigureAwait(false);
        return row;
    }

    private static byte[] Serialize(WebhookRegistration webhook)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("url", webhook.Url);
            writer.WriteStartArray("events");
            foreach (string e in webhook.Events) writer.WriteStringValue(e);
            writer.WriteEndArray();
            writer.WriteBase64String("secret", webhook.Secret);
            writer.WriteString("createdAt", webhook.CreatedAt.ToString("O", CultureInfo.InvariantCulture));
            writer.WriteEndObject();
        }
        byte[] bytes = buffer.ToArray();
        // The stream's own buffer held the secret too.
        CryptographicOperations.ZeroMemory(buffer.GetBuffer());
        return bytes;
    }

    private static WebhookRegistration Parse(byte[] plaintext)
    {
        try
        {
            using JsonDocument document = JsonDocument.Parse(plaintext);
            JsonElement root = document.RootElement;
            return new WebhookRegistration(
                root.GetProperty("url").GetString()!,
                root.GetProperty("events").EnumerateArray().Select(e => e.GetString()!).ToArray(),
                root.GetProperty("secret").GetBytesFromBase64(),
                DateTimeOffset.Parse(root.GetProperty("createdAt").GetString()!, CultureInfo.InvariantCulture));
        }
        finally
        {
            CryptographicOperations.ZeroMemory(plaintext);
        }
    }
}
