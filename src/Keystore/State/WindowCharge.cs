using System.Numerics;

namespace Keystore.State;

/// <summary>
/// One amount a request would add to one rolling window: <paramref name="Key"/> names the window (a rule and an asset,
/// e.g. <c>daily-eth</c>); the request passes if what the window already holds in <c>[now − Window, now]</c> plus
/// <paramref name="Amount"/> is at most <paramref name="Limit"/>. Amounts are in the asset's smallest unit (wei,
/// lamports, sats).
/// </summary>
public sealed record WindowCharge(string Key, TimeSpan Window, BigInteger Limit, BigInteger Amount, string RuleId);
