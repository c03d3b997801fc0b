namespace Keystore.Near.Rpc;

/// <summary>query view_account result (amounts in yoctoNEAR).</summary>
public sealed record AccountView(UInt128 Amount, UInt128 Locked, string CodeHash, ulong StorageUsage, ulong BlockHeight, string BlockHash);
