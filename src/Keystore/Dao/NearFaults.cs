using Keystore.Near.Rpc;

namespace Keystore.Dao;

/// <summary>
/// The one classification of NEAR failures. Transient: NEAR could not be asked right now (transport errors,
/// HTTP 5xx, node or client timeouts including "Request has timed out.", a node still syncing); asking again
/// later may succeed. Definite: a node answered, and asking again gets the same answer (an unknown account,
/// a method the contract does not have, arguments it refuses, a missing access key, an invalid transaction).
/// A failed transaction (<see cref="TransactionFailedException"/>) is a contract's answer and is neither.
/// </summary>
public static class NearFaults
{
    // nearcore's causes for a node that is behind or broken, not for a wrong question; and an answer this keystore
    // could not read at all, which another endpoint, or the same one later, may answer properly.
    private static readonly HashSet<string> NodeStateCauses = new(StringComparer.Ordinal)
    {
        "NO_SYNCED_BLOCKS", "NOT_SYNCED_YET", "UNKNOWN_BLOCK", "UNAVAILABLE_SHARD", "INTERNAL_ERROR", NearRpcClient.MalformedResponseCause,
    };

    public static bool IsTransient(Exception ex) =>
        ex is NearTransportException or NearTimeoutException or HttpRequestException
        || ex is NearRpcException { CauseName: { } cause } && NodeStateCauses.Contains(cause);

    public static bool IsDefinite(Exception ex) => ex is NearRpcException && !IsTransient(ex);

    /// <summary>NEAR gave no usable answer, for either reason.</summary>
    public static bool IsFault(Exception ex) => IsTransient(ex) || IsDefinite(ex);
}
