using System.Reflection;
using Keystore.Boot;
using Keystore.Chains;
using Keystore.Chains.Ethereum;
using Keystore.Chains.Solana;
using Keystore.Derivation;
using Keystore.MasterSecrets;
using Keystore.Tests.Support;

namespace Keystore.Tests.Derivation;

public class DerivedKeyCacheTests
{
    private static readonly DateTimeOffset Start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly IChainSigner Ethereum = new EthereumSigner();
    private static readonly IChainSigner Solana = new SolanaSigner();

    private static MasterSecret Master(byte fill) => new(Enumerable.Repeat(fill, 32).ToArray());

    /// <summary>The pinned buffers the cache holds now: read through reflection so a test can see that eviction zeroes them.</summary>
    private static List<byte[]> Buffers(DerivedKeyCache cache)
    {
        var recency = (System.Collections.IEnumerable)typeof(DerivedKeyCache)
            .GetField("_recency", BindingFlags.NonPublic | BindingFlags.Instance)!.GetValue(cache)!;
        var buffers = new List<byte[]>();
        foreach (object entry in recency)
        {
            var key = (SigningKey)entry.GetType().GetProperty("Key")!.GetValue(entry)!;
            buffers.Add((byte[])typeof(SigningKey).GetField("_privateKey", BindingFlags.NonPublic | BindingFlags.Instance)!.GetValue(key)!);
        }
        return buffers;
    }

    private static void AssertSame(SigningKey expected, SigningKey actual)
    {
        Assert.Equal(expected.Curve, actual.Curve);
        Assert.True(expected.PrivateKey.SequenceEqual(actual.PrivateKey));
        Assert.True(expected.PublicKey.SequenceEqual(actual.PublicKey));
    }

    [Fact]
    public void A_cached_key_is_the_key_a_fresh_derivation_gives_on_both_curves()
    {
        using MasterSecret master = Master(1);
        using var cache = new DerivedKeyCache(10, TimeSpan.FromMinutes(1), new ManualClock(Start));
        foreach (IChainSigner chain in new[] { Ethereum, Solana })
        {
            using SigningKey fresh = AccountKeyDeriver.Derive(master, "alice.near", chain, 3);
            using SigningKey first = cache.Get(master, "alice.near", chain, 3);
            using SigningKey second = cache.Get(master, "alice.near", chain, 3);
            AssertSame(fresh, first);
            AssertSame(fresh, second);
        }
        Assert.Equal((2L, 2L), cache.Statistics);
        Assert.Equal(2, cache.Count);
    }

    [Fact]
    public void Keys_of_other_accounts_chains_and_indices_are_separate_entries()
    {
        using MasterSecret master = Master(1);
        using var cache = new DerivedKeyCache(10, TimeSpan.FromMinutes(1), new ManualClock(Start));
        using SigningKey a = cache.Get(master, "alice.near", Ethereum, 0);
        using SigningKey b = cache.Get(master, "bob.near", Ethereum, 0);
        using SigningKey c = cache.Get(master, "alice.near", Ethereum, 1);
        using SigningKey d = cache.Get(master, "alice.near", Solana, 0);
        Assert.Equal(4, cache.Count);
        Assert.Equal(4, new[] { a, b, c, d }.Select(k => Convert.ToHexString(k.PublicKey)).Distinct().Count());
        using SigningKey again = AccountKeyDeriver.Derive(master, "bob.near", Ethereum, 0);
        AssertSame(again, b);
    }

    [Fact]
    public void A_full_cache_evicts_the_least_recently_used_key_and_wipes_it()
    {
        using MasterSecret master = Master(2);
        using var cache = new DerivedKeyCache(2, TimeSpan.FromMinutes(1), new ManualClock(Start));
        cache.Get(master, "a.near", Ethereum, 0).Dispose();
        cache.Get(master, "b.near", Ethereum, 0).Dispose();
        List<byte[]> before = Buffers(cache); // [b, a]
        byte[] bBuffer = before[0];
        cache.Get(master, "a.near", Ethereum, 0).Dispose(); // a becomes the most recently used
        cache.Get(master, "c.near", Ethereum, 0).Dispose(); // evicts b
        Assert.Equal(2, cache.Count);
        Assert.All(bBuffer, x => Assert.Equal(0, x));
        Assert.DoesNotContain(bBuffer, Buffers(cache));
        Assert.All(Buffers(cache), buffer => Assert.Contains(buffer, x => x != 0));
        (long hits, long misses) = cache.Statistics;
        cache.Get(master, "a.near", Ethereum, 0).Dispose();
        Assert.Equal((hits + 1, misses), cache.Statistics);
    }

    [Fact]
    public void A_key_unused_for_the_idle_timeout_is_wiped_and_derived_again_when_asked()
    {
        using MasterSecret master = Master(3);
        var clock = new ManualClock(Start);
        using var cache = new DerivedKeyCache(10, TimeSpan.FromMinutes(5), clock);
        cache.Get(master, "a.near", Ethereum, 0).Dispose();
        clock.Advance(TimeSpan.FromMinutes(3));
        cache.Get(master, "b.near", Ethereum, 0).Dispose();
        List<byte[]> buffers = Buffers(cache); // [b, a]
        clock.Advance(TimeSpan.FromMinutes(3));
        cache.RemoveIdle();
        Assert.Equal(1, cache.Count);
        Assert.All(buffers[1], x => Assert.Equal(0, x));
        Assert.Contains(buffers[0], x => x != 0);

        clock.Advance(TimeSpan.FromMinutes(5));
        using SigningKey fresh = AccountKeyDeriver.Derive(master, "b.near", Ethereum, 0);
        using SigningKey again = cache.Get(master, "b.near", Ethereum, 0);
        AssertSame(fresh, again);
        Assert.All(buffers[0], x => Assert.Equal(0, x));
        Assert.Equal((0L, 3L), cache.Statistics);
    }

    [Fact]
    public void Revoking_the_master_secret_wipes_every_key_and_keys_derived_from_it_later_are_not_kept()
    {
        using var state = new KeystoreState(new ManualClock(Start));
        using var cache = new DerivedKeyCache(10, TimeSpan.FromMinutes(5), new ManualClock(Start));
        state.MasterSecretDropped += cache.Drop;
        MasterSecret master = Master(4);
        state.SetMasterSecret(master, "backup");
        cache.Get(master, "a.near", Ethereum, 0).Dispose();
        cache.Get(master, "a.near", Solana, 0).Dispose();
        List<byte[]> buffers = Buffers(cache);

        state.Revoke("master-secret", "revoked by the DAO");

        Assert.Equal(0, cache.Count);
        Assert.All(buffers, buffer => Assert.All(buffer, x => Assert.Equal(0, x)));
        // A request that read the secret before the revocation still gets its key, but it is not cached.
        cache.Get(master, "a.near", Ethereum, 0).Dispose();
        Assert.Equal(0, cache.Count);
    }

    [Fact]
    public void A_new_master_secret_replaces_every_key_of_the_old_one()
    {
        using var state = new KeystoreState(new ManualClock(Start));
        using var cache = new DerivedKeyCache(10, TimeSpan.FromMinutes(5), new ManualClock(Start));
        state.MasterSecretDropped += cache.Drop;
        MasterSecret first = Master(5);
        state.SetMasterSecret(first, "backup");
        using SigningKey old = cache.Get(first, "a.near", Ethereum, 0);
        List<byte[]> buffers = Buffers(cache);

        MasterSecret second = Master(6);
        state.SetMasterSecret(second, "backup");
        Assert.Equal(0, cache.Count);
        Assert.All(buffers[0], x => Assert.Equal(0, x));
        using SigningKey now = cache.Get(second, "a.near", Ethereum, 0);
        Assert.False(old.PublicKey.SequenceEqual(now.PublicKey));
        Assert.Equal(1, cache.Count);
    }

    [Fact]
    public void A_disposed_cache_wipes_its_keys()
    {
        using MasterSecret master = Master(7);
        var cache = new DerivedKeyCache(10, TimeSpan.FromMinutes(5), new ManualClock(Start));
        cache.Get(master, "a.near", Ethereum, 0).Dispose();
        List<byte[]> buffers = Buffers(cache);
        cache.Dispose();
        Assert.All(buffers[0], x => Assert.Equal(0, x));
        Assert.Equal(0, cache.Count);
    }

    [Fact]
    public void With_capacity_zero_every_request_derives_and_nothing_is_kept()
    {
        using MasterSecret master = Master(8);
        using var cache = new DerivedKeyCache(0, TimeSpan.FromMinutes(5), new ManualClock(Start));
        using SigningKey a = cache.Get(master, "a.near", Ethereum, 0);
        using SigningKey b = cache.Get(master, "a.near", Ethereum, 0);
        AssertSame(a, b);
        Assert.Equal(0, cache.Count);
        Assert.Equal((0L, 2L), cache.Statistics);
    }

    [Fact]
    public void A_key_handed_out_stays_usable_after_its_entry_is_evicted()
    {
        using MasterSecret master = Master(9);
        using var cache = new DerivedKeyCache(1, TimeSpan.FromMinutes(5), new ManualClock(Start));
        using SigningKey held = cache.Get(master, "a.near", Ethereum, 0);
        cache.Get(master, "b.near", Ethereum, 0).Dispose();
        using SigningKey fresh = AccountKeyDeriver.Derive(master, "a.near", Ethereum, 0);
        AssertSame(fresh, held);
    }

    [Fact]
    public async Task Concurrent_requests_on_a_small_cache_always_get_the_right_key()
    {
        using MasterSecret master = Master(10);
        using var cache = new DerivedKeyCache(3, TimeSpan.FromMinutes(5), new ManualClock(Start));
        string[] accounts = ["a.near", "b.near", "c.near", "d.near", "e.near"];
        Dictionary<string, string> expected = accounts.ToDictionary(a => a, a =>
        {
            using SigningKey k = AccountKeyDeriver.Derive(master, a, Ethereum, 0);
            return Convert.ToHexString(k.PublicKey);
        });
        await Task.WhenAll(Enumerable.Range(0, 8).Select(worker => Task.Run(() =>
        {
            for (int i = 0; i < 40; i++)
            {
                string account = accounts[(worker * 7 + i) % accounts.Length];
                using SigningKey key = cache.Get(master, account, Ethereum, 0);
                Assert.Equal(expected[account], Convert.ToHexString(key.PublicKey));
            }
        })));
        Assert.True(cache.Count <= 3);
    }
}
