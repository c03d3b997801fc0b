using Keystore.Configuration;
using Keystore.Export;
using Keystore.Tests.Support;
using Microsoft.Extensions.Options;

namespace Keystore.Tests.Export;

public class ExportBudgetTests
{
    private static ExportBudget Budget(ManualClock clock, int perHour, int capacity = 100) =>
        new(Options.Create(new KeystoreOptions { Export = new ExportOptions { PerAccountPerHour = perHour, AccountCapacity = capacity } }), clock);

    [Fact]
    public void Each_account_has_its_own_hourly_window_that_reopens_an_hour_after_it_began()
    {
        var start = new DateTimeOffset(2026, 12, 2, 10, 0, 0, TimeSpan.Zero);
        var clock = new ManualClock(start);
        ExportBudget budget = Budget(clock, 2);
        Assert.Null(budget.TryTake("alice.near"));
        clock.Advance(TimeSpan.FromMinutes(10));
        Assert.Null(budget.TryTake("alice.near"));
        Assert.Equal(start.AddHours(1), budget.TryTake("alice.near"));
        Assert.Null(budget.TryTake("bob.near"));

        clock.Advance(TimeSpan.FromMinutes(49));
        Assert.Equal(start.AddHours(1), budget.TryTake("alice.near"));
        clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Null(budget.TryTake("alice.near"));
        Assert.Null(budget.TryTake("alice.near"));
        Assert.Equal(start.AddHours(2), budget.TryTake("alice.near"));
    }

    [Fact]
    public void Concurrent_exports_never_exceed_the_budget()
    {
        var clock = new ManualClock(DateTimeOffset.UnixEpoch);
        ExportBudget budget = Budget(clock, 5);
        int granted = 0;
        Parallel.For(0, 200, _ =>
        {
            if (budget.TryTake("alice.near") is null) Interlocked.Increment(ref granted);
        });
        Assert.Equal(5, granted);
    }
}
