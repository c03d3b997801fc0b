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
    public static WindowTotal[] Sum(IEnumerable<ReservationPayload> rows, IReadOnlyList<WindowCharge> charges, long nowMs) => Sum(rows, [], charges, nowMs);

    /// <summary><see cref="Sum(IEnumerable{ReservationPayload}, IReadOnlyList{WindowCharge}, long)"/> over two sets of rows, without joining them first.</summary>
    /// <remarks>Runs on every reservation over every row in the account's windows: indexed loops, and <see cref="Int128"/> sums
    /// (a <see cref="BigInteger"/> only past its range), so it allocates nothing per row.</remarks>
    public static WindowTotal[] Sum(IEnumerable<ReservationPayload> rows, IEnumerable<ReservationPayload> more, IReadOnlyList<WindowCharge> charges, long nowMs)
    {
        var sums = new Sums(charges, nowMs);
        foreach (ReservationPayload row in rows)
            sums.Add(row, nowMs);
        foreach (ReservationPayload row in more)
            sums.Add(row, nowMs);
        return sums.Totals(charges);
    }

    private readonly struct Sums
    {
        private readonly string[] _keys;
        private readonly long[] _windowStarts;
        private readonly Int128[] _small;
        private readonly BigInteger[] _big;

        public Sums(IReadOnlyList<WindowCharge> charges, long nowMs)
        {
            _keys = new string[charges.Count];
            _windowStarts = new long[charges.Count];
            _small = new Int128[charges.Count];
            _big = new BigInteger[charges.Count];
            for (int i = 0; i < charges.Count; i++)
            {
                _keys[i] = charges[i].Key;
                _windowStarts[i] = nowMs - (long)charges[i].Window.TotalMilliseconds;
            }
        }

        public void Add(ReservationPayload row, long nowMs)
        {
            if (row.KeepUntilMs < nowMs || !row.CountsAt(nowMs)) return;
            IReadOnlyList<(string Key, long WindowMs, BigInteger Amount)> entries = row.Entries;
            Int128[]? amounts = row.SmallAmounts;
            for (int e = 0; e < entries.Count; e++)
            {
                string key = entries[e].Key;
                for (int i = 0; i < _keys.Length; i++)
                {
                    if (row.CreatedAtMs < _windowStarts[i] || !string.Equals(_keys[i], key, StringComparison.Ordinal)) continue;
                    if (amounts is not null && _small[i] <= Int128.MaxValue - amounts[e])
                        _small[i] += amounts[e];
                    else
                        _big[i] += entries[e].Amount;
                }
            }
        }

        public WindowTotal[] Totals(IReadOnlyList<WindowCharge> charges)
        {
            var totals = new WindowTotal[charges.Count];
            for (int i = 0; i < charges.Count; i++)
                totals[i] = new WindowTotal(charges[i], _big[i] + (BigInteger)_small[i]);
            return totals;
        }
    }
}
