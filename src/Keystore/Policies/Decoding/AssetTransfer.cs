using System.Numerics;

namespace Keystore.Policies.Decoding;

/// <summary>Value a sign request moves: <paramref name="Amount"/> base units of <paramref name="Asset"/> to
/// <paramref name="Destination"/> (normalized; null for a fee).</summary>
public sealed record AssetTransfer(string Asset, string? Destination, BigInteger Amount, TransferKind Kind)
{
    /// <summary>An approval of the largest amount the token can express (2²⁵⁶−1 for ERC-20, 2⁶⁴−1 for SPL).</summary>
    public bool IsUnlimitedApproval { get; init; }
}
