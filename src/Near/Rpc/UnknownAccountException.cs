namespace Keystore.Near.Rpc;

/// <summary>The account does not exist (UNKNOWN_ACCOUNT).</summary>
public sealed class UnknownAccountException(string accountId)
    : NearRpcException($"Account {accountId} does not exist.", "HANDLER_ERROR", "UNKNOWN_ACCOUNT")
{
    public string AccountId { get; } = accountId;
}
