using Keystore.Caching;
using Microsoft.Extensions.Options;

namespace Keystore.Export;

/// <summary>
/// Exports one account may make per hour (<c>Keystore:Export:PerAccountPerHour</c>), in fixed one-hour windows.
/// A stolen owner key can read the mnemonic once; the budget keeps a script from turning the route into a
/// bulk key dump and keeps the audit trail readable. When the table is full the least recently used account's
/// window is forgotten (it starts afresh), which needs that many distinct owners authenticating within the hour.
/// </summary>
public sealed class ExportBudget(IOptions<Configuration.KeystoreOptions> options, TimeProvider time)
{
    private readonly HourlyBudget _budget = new(options.Value.Export.PerAccountPerHour, totalPerHour: null, options.Value.Export.AccountCapacity, time);

    /// <summary>Takes one export from <paramref name="account"/>'s budget: null when granted, otherwise when the window reopens.</summary>
    public DateTimeOffset? TryTake(string account) => _budget.TryTake(account);
}
