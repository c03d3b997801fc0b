using Keystore.Near.Keys;
using Keystore.Near.Transactions;

namespace Keystore.LocalNear.Runtime;

/// <summary>
/// One account's state. Mutated only through <see cref="ChainState"/>, which journals every change so a
/// failed receipt can be rolled back.
/// </summary>
internal sealed class AccountRecord(string accountId)
{
    public static readonly byte[] NoCodeHash = new byte[32];

    public string AccountId { get; } = accountId;
    public UInt128 Amount { get; set; }
    public UInt128 Locked { get; set; }
    public byte[]? Code { get; set; }
    public byte[] CodeHash { get; set; } = NoCodeHash;
    public ulong StorageUsage { get; set; } = GasSchedule.StorageAccountBytes;
    public SortedDictionary<byte[], byte[]> Storage { get; } = new(ByteArrayComparer.Instance);
    public Dictionary<Ed25519PublicKey, AccessKey> AccessKeys { get; } = [];

    /// <summary>What NEAR's storage staking requires this account to hold.</summary>
    public UInt128 StorageCost => GasSchedule.StorageAmountPerByte * StorageUsage;

    /// <summary>nearcore counts a key record as borsh(public key) + borsh(access key) + the record overhead.</summary>
    public static ulong AccessKeyStorage(AccessKey key)
    {
        var writer = new Keystore.Near.Borsh.BorshWriter();
        key.Write(writer);
        return 33 + (ulong)writer.ToArray().Length + GasSchedule.StorageRecordOverhead;
    }

    public static ulong DataStorage(int keyLength, int valueLength) => (ulong)keyLength + (ulong)valueLength + GasSchedule.StorageRecordOverhead;
}
