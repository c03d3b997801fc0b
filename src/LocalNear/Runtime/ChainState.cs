using System.Security.Cryptography;
using Keystore.Near.Keys;
using Keystore.Near.Transactions;

namespace Keystore.LocalNear.Runtime;

/// <summary>
/// All accounts, with an undo journal: every mutation records how to revert it, so a failed receipt is
/// rolled back to its checkpoint exactly (storage, balances, keys, code, created or deleted accounts)
/// without copying whole accounts. Not thread-safe: <see cref="LocalChain"/> holds its lock around every use.
/// </summary>
internal sealed class ChainState
{
    private readonly Dictionary<string, AccountRecord> _accounts = new(StringComparer.Ordinal);
    private readonly List<Action> _undo = [];

    public AccountRecord? Get(string accountId) => _accounts.GetValueOrDefault(accountId);

    public int Checkpoint() => _undo.Count;

    public void Rollback(int checkpoint)
    {
        for (int i = _undo.Count - 1; i >= checkpoint; i--) _undo[i]();
        _undo.RemoveRange(checkpoint, _undo.Count - checkpoint);
    }

    /// <summary>Forgets the journal: what happened so far is final.</summary>
    public void Commit() => _undo.Clear();

    public AccountRecord CreateAccount(string accountId)
    {
        var account = new AccountRecord(accountId);
        _accounts.Add(accountId, account);
        _undo.Add(() => _accounts.Remove(accountId));
        return account;
    }

    public void DeleteAccount(AccountRecord account)
    {
        _accounts.Remove(account.AccountId);
        _undo.Add(() => _accounts[account.AccountId] = account);
    }

    public void SetAmount(AccountRecord account, UInt128 amount)
    {
        var old = account.Amount;
        account.Amount = amount;
        _undo.Add(() => account.Amount = old);
    }

    public void SetCode(AccountRecord account, byte[]? code)
    {
        var (oldCode, oldHash, oldUsage) = (account.Code, account.CodeHash, account.StorageUsage);
        account.StorageUsage = account.StorageUsage - (ulong)(oldCode?.Length ?? 0) + (ulong)(code?.Length ?? 0);
        account.Code = code;
        account.CodeHash = code is null ? AccountRecord.NoCodeHash : SHA256.HashData(code);
        _undo.Add(() => (account.Code, account.CodeHash, account.StorageUsage) = (oldCode, oldHash, oldUsage));
    }

    /// <summary>Writes a storage record; returns the value it replaced, if any.</summary>
    public byte[]? StorageWrite(AccountRecord account, byte[] key, byte[] value)
    {
        var oldUsage = account.StorageUsage;
        bool existed = account.Storage.TryGetValue(key, out var old);
        account.StorageUsage = account.StorageUsage - (existed ? AccountRecord.DataStorage(key.Length, old!.Length) : 0)
            + AccountRecord.DataStorage(key.Length, value.Length);
        account.Storage[key] = value;
        _undo.Add(() =>
        {
            if (existed) account.Storage[key] = old!;
            else account.Storage.Remove(key);
            account.StorageUsage = oldUsage;
        });
        return old;
    }

    public byte[]? StorageRemove(AccountRecord account, byte[] key)
    {
        if (!account.Storage.Remove(key, out var old)) return null;
        var oldUsage = account.StorageUsage;
        account.StorageUsage -= AccountRecord.DataStorage(key.Length, old.Length);
        _undo.Add(() =>
        {
            account.Storage[key] = old;
            account.StorageUsage = oldUsage;
        });
        return old;
    }

    public void SetAccessKey(AccountRecord account, Ed25519PublicKey publicKey, AccessKey key)
    {
        bool existed = account.AccessKeys.TryGetValue(publicKey, out var old);
        var oldUsage = account.StorageUsage;
        account.StorageUsage = account.StorageUsage - (existed ? AccountRecord.AccessKeyStorage(old!) : 0) + AccountRecord.AccessKeyStorage(key);
        account.AccessKeys[publicKey] = key;
        _undo.Add(() =>
        {
            if (existed) account.AccessKeys[publicKey] = old!;
            else account.AccessKeys.Remove(publicKey);
            account.StorageUsage = oldUsage;
        });
    }

    public bool RemoveAccessKey(AccountRecord account, Ed25519PublicKey publicKey)
    {
        if (!account.AccessKeys.Remove(publicKey, out var old)) return false;
        var oldUsage = account.StorageUsage;
        account.StorageUsage -= AccountRecord.AccessKeyStorage(old);
        _undo.Add(() =>
        {
            account.AccessKeys[publicKey] = old;
            account.StorageUsage = oldUsage;
        });
        return true;
    }
}
