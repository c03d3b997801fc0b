namespace Keystore.State;

/// <summary>
/// The NEP-413 nonces accepted while their request could still pass the timestamp check, in the shared store, so a
/// captured request is refused after a restart and at every other instance too. A row is a keyed hash of (public key,
/// nonce), the account's keyed hash and an expiry; nothing else. Each account may hold at most
/// <c>Keystore:Auth:NonceCapacity</c> live nonces, so no one account can flood the table.
/// </summary>
public sealed class NonceStore(StateStore store)
{
    public async Task<Auth.NonceUse> TryUseAsync(string account, byte[] publicKey, byte[] nonce, DateTimeOffset expires, int capacityPerAccount,
        CancellationToken cancellationToken)
    {
        byte[] accountId = store.AccountId(account);
        byte[] message = new byte[6 + publicKey.Length + nonce.Length];
        "nonce\0"u8.CopyTo(message);
        publicKey.CopyTo(message, 6);
        nonce.CopyTo(message, 6 + publicKey.Length);
        byte[] nonceId = store.Sealer.RowId(message);
        long now = store.NowMs;
        long expiresMs = expires.ToUnixTimeMilliseconds();

        Auth.NonceUse use = await store.WriteAsync(accountId, async (connection, transaction) =>
        {
            object? live = await StateDatabase.ScalarAsync(connection, transaction,
                "SELECT COUNT(*) FROM (SELECT 1 FROM nonces WHERE account_id = @a AND expires_at >= @now LIMIT @cap) AS live", cancellationToken,
                ("@a", accountId), ("@now", now), ("@cap", (long)capacityPerAccount)).ConfigureAwait(false);
            // Checked before the insert so a full account cannot tell a replay from a fresh nonce by the answer.
            if (Convert.ToInt64(live, System.Globalization.CultureInfo.InvariantCulture) >= capacityPerAccount)
            {
                bool seen = await StateDatabase.ScalarAsync(connection, transaction, "SELECT 1 FROM nonces WHERE nonce_id = @n", cancellationToken, ("@n", nonceId)).ConfigureAwait(false) is not null;
                return seen ? Auth.NonceUse.Replayed : Auth.NonceUse.Busy;
            }
            // An expired row with this id (a replay after its window) is refused by the timestamp check before it gets here.
            int inserted = await StateDatabase.ExecuteAsync(connection, transaction,
                "INSERT INTO nonces (nonce_id, account_id, expires_at) VALUES (@n, @a, @e) ON CONFLICT (nonce_id) DO NOTHING", cancellationToken,
                ("@n", nonceId), ("@a", accountId), ("@e", expiresMs)).ConfigureAwait(false);
            return inserted == 1 ? Auth.NonceUse.Accepted : Auth.NonceUse.Replayed;
        }, cancellationToken).ConfigureAwait(false);

        await store.PruneIfDueAsync(cancellationToken).ConfigureAwait(false);
        return use;
    }
}
