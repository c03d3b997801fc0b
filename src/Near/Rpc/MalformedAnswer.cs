using System.Text.Json;

namespace Keystore.Near.Rpc;

/// <summary>
/// What reading an RPC endpoint's answer of the wrong shape throws: a missing member, a string where a number was
/// expected, a number out of range, JSON that is not JSON. The endpoint is not trusted to answer well, so a reader turns
/// these into its own typed error instead of letting them pass for a bug; this is the one list of them.
/// </summary>
public static class MalformedAnswer
{
    public static bool IsShapeError(Exception e) =>
        e is InvalidOperationException or NullReferenceException or OverflowException or KeyNotFoundException or ArgumentException or JsonException;
}
