namespace Keystore.Chains.Ethereum;

/// <summary>One EIP-2930 access list entry: an address and the storage slots the transaction pre-declares.</summary>
public sealed record AccessListEntry(byte[] Address, IReadOnlyList<byte[]> StorageKeys);
