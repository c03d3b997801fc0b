using Keystore.Caching;
using Keystore.Tests.Support;

namespace Keystore.Tests.Caching;

public class BoundedCacheTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 2, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Set_evicts_the_least_recently_used_entry_when_full()
    {
        var cache = new BoundedCache<string, int>(2, TimeSpan.FromMinutes(1), new ManualClock(T0));
        cache.Set("a", 1);
        cache.Set("b", 2);
        Assert.True(cache.TryGetValue("a", out _)); // a is now more recent than b
        cache.Set("c", 3);
        Assert.Equal(2, cache.Count);
        Assert.False(cache.TryGetValue("b", out _));
        Assert.True(cache.TryGetValue("a", out int a) && a == 1);
        Assert.True(cache.TryGetValue("c", out int c) && c == 3);
    }

    [Fact]
    public void Entries_expire_after_their_time_to_live_or_their_own_deadline()
    {
        var clock = new ManualClock(T0);
        var cache = new BoundedCache<string, int>(10, TimeSpan.FromSeconds(30), clock);
        cache.Set("ttl", 1);
        cache.Set("deadline", 2, T0 + TimeSpan.FromSeconds(5));
        clock.Advance(TimeSpan.FromSeconds(5));
        Assert.True(cache.TryGetValue("deadline", out _)); // still valid at its deadline
        clock.Advance(TimeSpan.FromMilliseconds(1));
        Assert.False(cache.TryGetValue("deadline", out _));
        Assert.True(cache.TryGetValue("ttl", out _));
        clock.Advance(TimeSpan.FromSeconds(25));
        Assert.False(cache.TryGetValue("ttl", out _));
        Assert.Equal(0, cache.Count);
    }

    [Fact]
    public void TryAdd_never_evicts_a_live_entry_and_reports_full_instead()
    {
        var clock = new ManualClock(T0);
        var cache = new BoundedCache<int, bool>(3, TimeSpan.FromSeconds(10), clock);
        for (int i = 0; i < 3; i++) Assert.Equal(CacheAddResult.Added, cache.TryAdd(i, true));
        Assert.Equal(CacheAddResult.Exists, cache.TryAdd(1, true));
        Assert.Equal(CacheAddResult.Full, cache.TryAdd(99, true));
        for (int i = 0; i < 3; i++) Assert.Equal(CacheAddResult.Exists, cache.TryAdd(i, true)); // nothing was forgotten

        // Once entries pass their deadline their slots are free again, even out of insertion order.
        cache.Set(0, true, T0 + TimeSpan.FromHours(1));
        clock.Advance(TimeSpan.FromSeconds(11));
        Assert.Equal(CacheAddResult.Added, cache.TryAdd(99, true));
        Assert.Equal(CacheAddResult.Added, cache.TryAdd(1, true));
        Assert.Equal(CacheAddResult.Exists, cache.TryAdd(0, true));
        Assert.Equal(CacheAddResult.Full, cache.TryAdd(100, true));
    }

    [Fact]
    public void Memory_stays_bounded_under_a_stream_of_distinct_keys()
    {
        var cache = new BoundedCache<int, int>(1000, TimeSpan.FromHours(1), new ManualClock(T0));
        for (int i = 0; i < 100_000; i++) cache.Set(i, i);
        Assert.Equal(1000, cache.Count);
        Assert.True(cache.TryGetValue(99_999, out _));
        Assert.False(cache.TryGetValue(0, out _));
    }
}
