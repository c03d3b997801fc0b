using System.Numerics;

namespace Keystore.State;

/// <summary>The arithmetic both <see cref="ISpendingWindows"/> share: what a charge may be, and what each charge's window holds.</summary>
internal static class WindowSums
{
    public static void Validate(IReadOnlyList<WindowCharge> charges)
    {
        foreach (WindowCharge c in charges)
        {
            if (string.IsNullOrEmpty(c.Key) || c.Key.Length > 256)
                throw new ArgumentException("A window key is 1 to 256 characters.", nameof(charges));
            if (c.Window <= TimeSpan.Zero || c.Window > TimeSpan.FromDays(366))
                throw new ArgumentException("A window is longer than zero and at most 366 days.", nameof(charges));
            if (c.Amount.Sign < 0 || c.Limit.Sign < 0)
                throw new ArgumentException("Amounts and limits are not negative.", nameof(charges));
        }
    }

    /// <summary>
    /// What each charge's window holds. The plaintext columns only narrow the query; the sealed copy decides what counts,
    /// and a kept row counts only while the query would still return it. A row stamped after now (another instance's clock
    /// runs ahead) counts too: erring towards refusing, never towards one more.
    /// </summary>
    public static WindowTotal[] Sum(IEnumerable<ReservationPayload> rows, IReadOnlyList<WindowCharge> charges, long nowMs)
    {
        var sums = new BigInteger[charges.Count];
        var windowStarts = new long[charges.Count];
        for (int i = 0; i < charges.Count; i++)
            windowStarts[i] = nowMs - (long)charges[i].Window.TotalMilliseconds;
        foreach (ReservationPayload row in rows)
            Add(row, charges, nowMs, windowStarts, sums);
        return Totals(charges, sums);
    }

    /// <summary><see cref="Sum(IEnumerable{ReservationPayload}, IReadOnlyList{WindowCharge}, long)"/> over two sets of rows, without joining them first.</summary>
    public static WindowTotal[] Sum(IEnumerable<ReservationPayload> rows, IEnumerable<ReservationPayload> more, IReadOnlyList<WindowCharge> charges, long nowMs)
    {
        var sums = new BigInteger[charges.Count];
        var windowStarts = new long[charges.Count];
        for (int i = 0; i < charges.Count; i++)
            windowStarts[i] = nowMs - (long)charges[i].Window.TotalMilliseconds;
        foreach (ReservationPayload row in rows)
            Add(row, charges, nowMs, windowStarts, sums);
        foreach (ReservationPayload row in more)
            Add(row, charges, nowMs, windowStarts, sums);
        return Totals(charges, sums);
    }

    private static void Add(ReservationPayload row, IReadOnlyList<WindowCharge> charges, long nowMs, long[] windowStarts, BigInteger[] sums)
    {
        if (row.KeepUntilMs < nowMs || !row.CountsAt(nowMs)) return;
        foreach ((string key, long _, BigInteger amount) in row.Entries)
        {
            for (int i = 0; i < charges.Count; i++)
            {
                if (row.CreatedAtMs >= windowStarts[i] && string.Equals(charges[i].Key, key, StringComparison.Ordinal))
                    sums[i] += amount;
            }
        }
    }

    private static WindowTotal[] Totals(IReadOnlyList<WindowCharge> charges, BigInteger[] sums)
    {
        var totals = new WindowTotal[charges.Count];
        for (int i = 0; i < charges.Count; i++)
            totals[i] = new WindowTotal(charges[i], sums[i]);
        return totals;
    }
}
