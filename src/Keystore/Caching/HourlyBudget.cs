namespace Keystore.Caching;

/// <summary>
/// Fixed one-hour windows of a count per account, and optionally one for the whole keystore: the budget behind
/// binding publications and exports. An account's window may be forgotten when its table is full (it then starts
/// afresh); the keystore-wide window, when there is one, bounds what that can add.
/// </summary>
public sealed class HourlyBudget
{
    public static readonly TimeSpan Window = TimeSpan.FromHours(1);

    private readonly Lock _gate = new();
    private readonly TimeProvider _time;
    private readonly BoundedCache<string, Counter> _accounts;
    private readonly int _perAccount;
    private readonly int? _total;
    private Counter _all;

    /// <param name="totalPerHour">The keystore-wide budget, or null for none.</param>
    public HourlyBudget(int perAccountPerHour, int? totalPerHour, int accountCapacity, TimeProvider time)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(perAccountPerHour, 1);
        if (totalPerHour is { } total) ArgumentOutOfRangeException.ThrowIfLessThan(total, 1, nameof(totalPerHour));
        _perAccount = perAccountPerHour;
        _total = totalPerHour;
        _time = time;
        _accounts = new BoundedCache<string, Counter>(accountCapacity, Window, time, StringComparer.Ordinal);
        _all = new Counter(time.GetUtcNow(), 0);
    }

    /// <summary>
    /// Takes one from the account's budget and the keystore's, or from none: null when granted, otherwise when the
    /// budget that refused opens again.
    /// </summary>
    public DateTimeOffset? TryTake(string account)
    {
        DateTimeOffset now = _time.GetUtcNow();
        lock (_gate)
        {
            if (now - _all.Start >= Window) _all = new Counter(now, 0);
            Counter mine = _accounts.TryGetValue(account, out Counter current) && now - current.Start < Window
                ? current
                : new Counter(now, 0);
            if (mine.Used >= _perAccount) return mine.Start + Window;
            if (_all.Used >= _total) return _all.Start + Window;
            _all = _all with { Used = _all.Used + 1 };
            _accounts.Set(account, mine with { Used = mine.Used + 1 }, mine.Start + Window);
            return null;
        }
    }

    private readonly record struct Counter(DateTimeOffset Start, int Used);
}
