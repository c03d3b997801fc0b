using Keystore.Caching;

namespace Keystore.Bindings;

/// <summary>
/// How many bindings may be sent to NEAR per hour, per account and for the whole keystore. Each one is a
/// <c>register_binding</c> paid from the DAO's allowance and storage, and any NEAR account holder is the
/// owner of their own account, so without a budget one account could publish index after index until the
/// allowance runs dry and every other account's bindings fail. Fixed one-hour windows: an account's window
/// may be forgotten when the table is full (it then starts afresh), which the keystore-wide window bounds.
/// </summary>
public sealed class BindingPublicationBudget
{
    private static readonly TimeSpan Window = TimeSpan.FromHours(1);

    private readonly Lock _gate = new();
    private readonly TimeProvider _time;
    private readonly BoundedCache<string, Counter> _accounts;
    private readonly int _perAccount;
    private readonly int _total;
    private Counter _all;

    public BindingPublicationBudget(int perAccountPerHour, int totalPerHour, int accountCapacity, TimeProvider time)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(perAccountPerHour, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(totalPerHour, 1);
        _perAccount = perAccountPerHour;
        _total = totalPerHour;
        _time = time;
        _accounts = new BoundedCache<string, Counter>(accountCapacity, Window, time, StringComparer.Ordinal);
        _all = new Counter(time.GetUtcNow(), 0);
    }

    /// <summary>
    /// Takes one publication from both budgets, or none: returns null when it is granted, otherwise when
    /// the budget that refused opens again.
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
