using Keystore.Caching;

namespace Keystore.Bindings;

/// <summary>
/// How many bindings may be sent to NEAR per hour, per account and for the whole keystore. Each one is a
/// <c>register_binding</c> paid from the DAO's allowance and storage, and any NEAR account holder is the
/// owner of their own account, so without a budget one account could publish index after index until the
/// allowance runs dry and every other account's bindings fail. Fixed one-hour windows: an account's window
/// may be forgotten when the table is full (it then starts afresh), which the keystore-wide window bounds.
/// </summary>
public sealed class BindingPublicationBudget(int perAccountPerHour, int totalPerHour, int accountCapacity, TimeProvider time)
{
    private readonly HourlyBudget _budget = new(perAccountPerHour, totalPerHour, accountCapacity, time);

    /// <summary>
    /// Takes one publication from both budgets, or none: returns null when it is granted, otherwise when
    /// the budget that refused opens again.
    /// </summary>
    public DateTimeOffset? TryTake(string account) => _budget.TryTake(account);
}
