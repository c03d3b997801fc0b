using System.Numerics;

namespace Keystore.Policies.Evaluation;

/// <summary>
/// A window the caller must reserve atomically before signing (the evaluator does not know totals): the
/// committed and reserved amounts under <paramref name="Key"/> in [now − <paramref name="Window"/>, now] plus
/// <paramref name="Amount"/> must not exceed <paramref name="Limit"/>, or the request is denied by <paramref name="RuleId"/>.
/// Keys are per account store: <c>agent:&lt;agentId&gt;:&lt;asset&gt;:&lt;period&gt;</c>, <c>account:&lt;asset&gt;:&lt;period&gt;</c>,
/// and <c>…:requests:minute</c> for rates, so an agent's spend on an asset counts against every rule that limits it.
/// </summary>
public sealed record PolicyCharge(string Key, TimeSpan Window, BigInteger Limit, BigInteger Amount, string RuleId);
