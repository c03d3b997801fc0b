using System.Numerics;

namespace Keystore.Policies.Documents;

/// <summary>
/// The caps on one asset, in its base unit (wei, token base units, lamports, satoshis): a maximum per
/// transaction and rolling windows (<see cref="PolicyNames.Periods"/>). An asset with an entry and no cap is
/// allowed without a limit; an asset without an entry is not allowed at all by an agent rule.
/// </summary>
public sealed record AssetLimit(string Asset, BigInteger? PerTransaction, IReadOnlyList<WindowLimit> Windows);

/// <summary>At most <paramref name="Limit"/> of an asset in any <paramref name="Length"/> ending now.</summary>
public sealed record WindowLimit(string Period, TimeSpan Length, BigInteger Limit);
