using Keystore.Near.Keys;

namespace Keystore.LocalNear.Rpc;

/// <summary>What <c>status</c> and block headers report about this node beyond the chain itself.</summary>
public sealed record LocalNodeInfo(
    /// <summary>The single block producer (the genesis root account).</summary>
    string ValidatorAccountId,
    Ed25519PublicKey ValidatorPublicKey,
    /// <summary>The node's network identity; this node has no peers, the key only fills the field.</summary>
    Ed25519PublicKey NodePublicKey,
    /// <summary>Sum of the genesis balances (NEAR's total_supply at genesis).</summary>
    UInt128 TotalSupply,
    DateTimeOffset StartedAt)
{
    /// <summary>The nearcore protocol version this chain's JSON follows.</summary>
    public const uint ProtocolVersion = 73;

    /// <summary>NEAR's storage staking price, yoctoNEAR per byte (10^19: 1 NEAR per 100 kB), which the engine applies.</summary>
    public static readonly UInt128 StorageAmountPerByte = 10_000_000_000_000_000_000;

    public static readonly string Version = typeof(LocalNodeInfo).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";

    /// <summary>host:port the RPC listens on, once known.</summary>
    public string? RpcAddress { get; set; }
}
