namespace Keystore.Near.Rpc;

/// <summary>The access key does not exist on the account (InvalidAccessKeyError.AccessKeyNotFound or query UNKNOWN_ACCESS_KEY).</summary>
public sealed class AccessKeyNotFoundException(string accountId, string publicKey)
    : NearRpcException($"Access key {publicKey} not found on account {accountId}.", "HANDLER_ERROR", "UNKNOWN_ACCESS_KEY")
{
    public string AccountId { get; } = accountId;
    public string PublicKey { get; } = publicKey;
}
