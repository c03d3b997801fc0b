using Keystore.Near.Keys;

namespace Keystore.LocalNear.Chain;

/// <summary>One genesis account. <see cref="Code"/> is contract wasm deployed at genesis, if any.</summary>
public sealed record GenesisAccount(string AccountId, UInt128 Balance, IReadOnlyList<Ed25519PublicKey> FullAccessKeys, byte[]? Code = null);

/// <summary>What the execution engine needs to start a chain.</summary>
public sealed record LocalChainOptions
{
    public string ChainId { get; init; } = "localnet";

    public DateTimeOffset GenesisTime { get; init; } = DateTimeOffset.UtcNow;

    /// <summary>yoctoNEAR per gas unit; NEAR's minimum gas price.</summary>
    public UInt128 GasPrice { get; init; } = 100_000_000;

    /// <summary>Nanoseconds the block timestamp advances per produced block.</summary>
    public ulong BlockIntervalNanos { get; init; } = 1_000_000_000;

    public IReadOnlyList<GenesisAccount> Accounts { get; init; } = [];

    /// <summary>Contracts implemented in C# (e.g. the MPC signer), by account id. The account must be in genesis.</summary>
    public IReadOnlyDictionary<string, INativeContract> NativeContracts { get; init; } = new Dictionary<string, INativeContract>();
}
