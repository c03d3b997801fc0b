using Keystore.Near.Keys;
using Keystore.Near.Transactions;

namespace Keystore.LocalNear.Chain;

public sealed record BlockView(
    ulong Height,
    byte[] Hash,
    byte[] PrevHash,
    ulong TimestampNanos,
    UInt128 GasPrice,
    /// <summary>Ids of transactions and receipts executed in this block.</summary>
    IReadOnlyList<byte[]> ExecutedIds);

public sealed record AccountView(
    UInt128 Amount,
    UInt128 Locked,
    /// <summary>sha256 of the code, or 32 zero bytes for an account without a contract.</summary>
    byte[] CodeHash,
    ulong StorageUsage,
    ulong BlockHeight,
    byte[] BlockHash);

public sealed record AccessKeyEntry(Ed25519PublicKey PublicKey, AccessKey AccessKey);

public sealed record ViewCallResult(byte[] Result, IReadOnlyList<string> Logs, ulong BlockHeight, byte[] BlockHash);

public sealed record StateItem(byte[] Key, byte[] Value);

/// <summary>A deployed contract's wasm and its sha256 (nearcore's <c>ContractCodeView</c>), read at the given block.</summary>
public sealed record ContractCodeView(byte[] Code, byte[] Hash, ulong BlockHeight, byte[] BlockHash);
