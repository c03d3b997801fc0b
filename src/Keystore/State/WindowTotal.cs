using System.Numerics;

namespace Keystore.State;

/// <summary>What a window holds (committed and still-held reservations) for one charge, before and with the request.</summary>
public sealed record WindowTotal(WindowCharge Charge, BigInteger Current)
{
    /// <summary>The total if the request were admitted.</summary>
    public BigInteger After => Current + Charge.Amount;

    public bool Exceeds => After > Charge.Limit;
}
