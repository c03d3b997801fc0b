using Keystore.Caching;
using Microsoft.Extensions.Options;

namespace Keystore.Export;

/// <summary>
/// Exports one account may make per hour (<c>Keystore:Export:PerAccountPerHour</c>), in fixed one-hour windows.
/// A stolen owner key can read the mnemonic once; the budget keeps a script from turning the route into a
/// bulk key dump and keeps the audit trail readable. When the table is full the least recently used account's
/// window is forgotten (it starts afresh), which needs that many distinct owners authenticating within the hour.
/// </summary>
public sealed class ExportBudget
{
    private static readonly TimeSpan Window = TimeSpan.FromHours(1);

    private readonly Lock _gate = new();
    private readonly TimeProvider _time;
    private readonly BoundedCache<string, Counter> _accounts;
    private readonly int _perAccount;

    public ExportBudget(IOptions<Configuration.KeystoreOptions> options, TimeProvider time)
    {
        ExportOptions export = options.Value.Export;
        _perAccount = export.PerAccountPerHour;
        _time = time;
        _accounts = new BoundedCache<string, Counter>(export.AccountCapacity, Window, time, StringComparer.Ordinal);
    }

    /// <summary>Takes one export from <paramref name="account"/>'s budget: null when granted, otherwise when the window reopens.</summary>
    public DateTimeOffset? TryTake(string account)
    {
        DateTimeOffset now = _time.GetUtcNow();
        lock (_gate)
        {
            Counter mine = _accounts.TryGetValue(account, out Counter current) && now - current.Start < Window
                ? current
                : new Counter(now, 0);
            if (mine.Used >= _perAccount) return mine.Start + Window;
            _accounts.Set(account, mine with { Used = mine.Used + 1 }, mine.Start + Window);
            return null;
        }
    }

    private readonly record struct Counter(DateTimeOffset Start, int Used);
}
