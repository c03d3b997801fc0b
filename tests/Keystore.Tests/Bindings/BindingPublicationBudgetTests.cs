using Keystore.Bindings;
using Keystore.Tests.Support;

namespace Keystore.Tests.Bindings;

public class BindingPublicationBudgetTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 2, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void An_account_gets_its_hourly_budget_and_not_one_more_until_its_window_ends()
    {
        var clock = new ManualClock(T0);
        var budget = new BindingPublicationBudget(perAccountPerHour: 3, totalPerHour: 100, accountCapacity: 10, clock);
        for (var i = 0; i < 3; i++)
            Assert.Null(budget.TryTake("mallory.near"));
        Assert.Equal(T0.AddHours(1), budget.TryTake("mallory.near"));
        // Another account is not held back by mallory's spending.
        Assert.Null(budget.TryTake("alice.near"));
        clock.Advance(TimeSpan.FromMinutes(59));
        Assert.Equal(T0.AddHours(1), budget.TryTake("mallory.near"));
        clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Null(budget.TryTake("mallory.near"));
    }

    [Fact]
    public void Many_accounts_together_stop_at_the_keystore_budget()
    {
        var clock = new ManualClock(T0);
        var budget = new BindingPublicationBudget(perAccountPerHour: 2, totalPerHour: 50, accountCapacity: 10, clock);
        var granted = 0;
        // 1,000 throwaway accounts: the per-account table is far smaller, so forgotten accounts start afresh,
        // and only the keystore-wide window stands between them and the DAO's allowance.
        for (var i = 0; i < 1_000; i++)
            for (var j = 0; j < 2; j++)
                if (budget.TryTake($"sybil{i}.near") is null) granted++;
        Assert.Equal(50, granted);
        Assert.Equal(T0.AddHours(1), budget.TryTake("alice.near"));
        clock.Advance(TimeSpan.FromHours(1));
        Assert.Null(budget.TryTake("alice.near"));
    }

    [Fact]
    public void A_refusal_by_the_keystore_budget_costs_the_account_nothing()
    {
        var clock = new ManualClock(T0);
        var budget = new BindingPublicationBudget(perAccountPerHour: 2, totalPerHour: 2, accountCapacity: 10, clock);
        Assert.Null(budget.TryTake("a.near"));
        Assert.Null(budget.TryTake("b.near"));
        Assert.NotNull(budget.TryTake("c.near"));
        clock.Advance(TimeSpan.FromHours(1));
        Assert.Null(budget.TryTake("c.near"));
        Assert.Null(budget.TryTake("c.near"));
        Assert.NotNull(budget.TryTake("c.near"));
    }

    [Fact]
    public void Budgets_below_one_are_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new BindingPublicationBudget(0, 10, 10, TimeProvider.System));
        Assert.Throws<ArgumentOutOfRangeException>(() => new BindingPublicationBudget(1, 0, 10, TimeProvider.System));
    }
}
