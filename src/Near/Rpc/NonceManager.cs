using System.Collections.Concurrent;
using Keystore.Near.Keys;

namespace Keystore.Near.Rpc;

/// <summary>
/// Hands out increasing nonces per (account, access key): fetched once from view_access_key, then incremented
/// locally; <see cref="Resync"/> adopts the chain's ak_nonce after an InvalidNonce.
/// </summary>
public sealed class NonceManager(NearRpcClient rpc)
{
    private sealed class Slot
    {
        public readonly SemaphoreSlim Gate = new(1, 1);
        public ulong? Current;
    }

    private readonly ConcurrentDictionary<(string, string), Slot> _slots = new();

    public async Task<ulong> NextAsync(string accountId, Ed25519PublicKey key, CancellationToken ct = default)
    {
        var slot = _slots.GetOrAdd((accountId, key.ToString()), _ => new Slot());
        await slot.Gate.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            slot.Current ??= (await rpc.ViewAccessKeyAsync(accountId, key, ct).ConfigureAwait(false)).Nonce;
            slot.Current += 1;
            return slot.Current.Value;
        }
        finally
        {
            slot.Gate.Release();
        }
    }

    /// <summary>The chain says the key's nonce is <paramref name="accessKeyNonce"/>: never go below it.</summary>
    public void Resync(string accountId, Ed25519PublicKey key, ulong accessKeyNonce)
    {
        var slot = _slots.GetOrAdd((accountId, key.ToString()), _ => new Slot());
        slot.Gate.Wait();
        try
        {
            if (slot.Current is null || slot.Current < accessKeyNonce) slot.Current = accessKeyNonce;
        }
        finally
        {
            slot.Gate.Release();
        }
    }

    public void Forget(string accountId, Ed25519PublicKey key) => _slots.TryRemove((accountId, key.ToString()), out _);
}
