using System.Data.Common;
using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using Keystore.State;

namespace Keystore.Webhooks;

/// <summary>
/// Each account's webhook in the sealed store (table <c>webhooks</c>, one row an account under its keyed-hash id): the URL,
/// the kinds and the HMAC secret are sealed like every other row, so the database shows neither where an account's events
/// go nor the key that signs them. Read through on every delivery, so a change holds at once on every instance.
/// </summary>
public sealed class WebhookStore(StateStore store)
{
    public const string Table = "webhooks";

    public Task<WebhookRegistration?> GetAsync(string account, CancellationToken cancellationToken)
    {
        byte[] accountId = store.AccountId(account);
        return store.ReadAsync(async connection =>
        {
            (long Version, byte[] Sealed)? row = await ReadAsync(connection, null, accountId, cancellationToken).ConfigureAwait(false);
            return row is { } r ? Parse(store.Sealer.Open(Table, accountId, r.Version, r.Sealed)) : null;
        }, cancellationToken);
    }

    /// <summary>Stores (or replaces) the account's webhook.</summary>
    public Task SetAsync(string account, WebhookRegistration webhook, CancellationToken cancellationToken)
    {
        byte[] accountId = store.AccountId(account);
        return store.WriteAsync(accountId, async (connection, transaction) =>
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
        }, cancellationToken);
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
