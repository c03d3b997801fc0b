using Keystore.Near.Transactions;

namespace Keystore.Near.Rpc;

/// <summary>An access key as the RPC reports it (view_access_key / view_access_key_list).</summary>
public sealed record AccessKeyView(string PublicKey, ulong Nonce, AccessKeyPermission Permission)
{
    public bool IsFullAccess => Permission is FullAccessPermission;
}
