using System.Text.Json.Nodes;

namespace Keystore.Near.Rpc;

/// <summary>The transaction executed and failed (status Failure), e.g. a contract panic. A definite failure: never retried.</summary>
public sealed class TransactionFailedException(string transactionHash, string failureMessage, JsonNode? failure)
    : Exception($"Transaction {transactionHash} failed: {failureMessage}")
{
    public string TransactionHash { get; } = transactionHash;
    public string FailureMessage { get; } = failureMessage;
    public JsonNode? Failure { get; } = failure;
}
