using Keystore.Near.Rpc;

namespace Keystore.Dao;

/// <summary>
/// The one definition of "NEAR could not be asked right now": transport errors, node timeouts and RPC
/// errors, which may clear up. A failed transaction (<see cref="TransactionFailedException"/>) is a
/// definite answer and is not among them.
/// </summary>
public static class NearFaults
{
    public static bool IsTransient(Exception ex) => ex is NearRpcException or NearTransportException or HttpRequestException;
}
