namespace Keystore.LocalNear.Runtime;

/// <summary>
/// One contract call's gas, as nearcore's <c>GasCounter</c>: <see cref="Burnt"/> is spent on this call
/// (wasm instructions, host functions, fees of receipts it sends); <see cref="Used"/> adds the gas attached
/// to the receipts it creates. Wasm instructions are metered with Wasmtime fuel (one unit per instruction,
/// charged at <see cref="GasSchedule.RegularOp"/>); <see cref="Sync"/> folds consumed fuel into gas at
/// every host call and hands the remaining budget back as fuel.
/// </summary>
internal sealed class GasCounter(ulong prepaidGas, ulong burntLimit)
{
    private ulong _fuelGranted;

    public ulong PrepaidGas { get; } = prepaidGas;
    public ulong Burnt { get; private set; }
    public ulong Used { get; private set; }

    /// <summary>Wasm instructions executed so far (fuel consumed).</summary>
    public ulong Instructions { get; private set; }

    /// <summary>Burns <paramref name="baseCost"/> + <paramref name="perUnit"/> × <paramref name="units"/> without overflow (units may come from the guest).</summary>
    public void Burn(ulong baseCost, ulong perUnit, ulong units)
    {
        UInt128 total = (UInt128)perUnit * units + baseCost;
        if (total > ulong.MaxValue) { BurnAll(); throw VmAbortException.GasExceeded(); }
        Burn((ulong)total);
    }

    public void Burn(ulong gas)
    {
        ulong burnt = Burnt + gas, used = Used + gas;
        if (burnt < Burnt || used < Used) { BurnAll(); throw VmAbortException.GasExceeded(); }
        if (used > PrepaidGas) { BurnAll(); throw VmAbortException.GasExceeded(); }
        if (burnt > burntLimit) { Burnt = Used = burntLimit; throw VmAbortException.GasLimitExceeded(); }
        Burnt = burnt;
        Used = used;
    }

    /// <summary>Gas handed to a new receipt: used by this call, not burnt by it.</summary>
    public void Attach(ulong gas)
    {
        ulong used = Used + gas;
        if (used < Used || used > PrepaidGas) { BurnAll(); throw VmAbortException.GasExceeded(); }
        Used = used;
    }

    public ulong RemainingForAttach => PrepaidGas - Used;

    /// <summary>NEAR burns the whole prepaid gas (and nothing is attached) when a call runs out of it.</summary>
    public void BurnAll()
    {
        Burnt = Math.Min(PrepaidGas, burntLimit);
        Used = Burnt;
    }

    /// <summary>The fuel the wasm may still consume before the prepaid gas or the burn limit is reached.</summary>
    public ulong FuelBudget()
    {
        ulong byPrepaid = (PrepaidGas - Used) / GasSchedule.RegularOp;
        ulong byLimit = (burntLimit - Burnt) / GasSchedule.RegularOp;
        _fuelGranted = Math.Min(byPrepaid, byLimit);
        return _fuelGranted;
    }

    /// <summary>Charges the instructions executed since the last budget; <paramref name="fuelLeft"/> is the store's remaining fuel.</summary>
    public void ChargeFuel(ulong fuelLeft)
    {
        ulong consumed = _fuelGranted >= fuelLeft ? _fuelGranted - fuelLeft : 0;
        _fuelGranted = fuelLeft;
        Instructions += consumed;
        Burn(consumed * GasSchedule.RegularOp);
    }
}
