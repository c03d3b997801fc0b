using System.Security.Cryptography;
using Keystore.Auth;
using Keystore.State;
using Keystore.Tests.State;
using Keystore.Tests.Support;
using Keystore.TestSupport.State;

namespace Keystore.Tests.Auth;

/// <summary>
/// The nonce store's common path (an account's live count estimated, the insert group-committed) against the guarantees
/// of the exact one: every nonce accepted once, on one instance or two, concurrently; the cap still holds.
/// </summary>
public class NonceFastPathTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 2, 0, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(5);

    [Fact]
    public async Task Concurrent_uses_of_the_same_nonces_accept_each_nonce_exactly_once()
    {
        await using StateTestStore db = await StateTestStore.SqliteAsync(clock: new ManualClock(T0));
        var guard = new NonceReplayGuard(new NonceStore(db.Store));
        byte[] key = RandomNumberGenerator.GetBytes(32);
        long ts = T0.ToUnixTimeMilliseconds();
        // Warm the account's estimate so the uses below take the batched path.
        Assert.Equal(NonceUse.Accepted, await guard.TryUseAsync("alice.near", key, agentKey: false, RandomNumberGenerator.GetBytes(32), ts, Window, 10_000, CancellationToken.None));
        byte[][] nonces = [.. Enumerable.Range(0, 100).Select(_ => RandomNumberGenerator.GetBytes(32))];

        NonceUse[] uses = await Task.WhenAll(Enumerable.Range(0, 400).Select(i =>
            Task.Run(() => guard.TryUseAsync("alice.near", key, agentKey: false, nonces[i % 100], ts, Window, 10_000, CancellationToken.None))));

        for (int n = 0; n < 100; n++)
        {
            NonceUse[] ofNonce = [.. Enumerable.Range(0, 4).Select(k => uses[n + 100 * k])];
            Assert.Equal(1, ofNonce.Count(u => u == NonceUse.Accepted));
            Assert.Equal(3, ofNonce.Count(u => u == NonceUse.Replayed));
        }
    }

    [Fact]
    public async Task The_cap_holds_exactly_on_one_instance_when_nonces_take_the_batched_path()
    {
        await using StateTestStore db = await StateTestStore.SqliteAsync(clock: new ManualClock(T0));
        var guard = new NonceReplayGuard(new NonceStore(db.Store));
        byte[] key = RandomNumberGenerator.GetBytes(32);
        long ts = T0.ToUnixTimeMilliseconds();
        var uses = new List<NonceUse>();
        for (int i = 0; i < 100; i++)
            uses.Add(await guard.TryUseAsync("alice.near", key, agentKey: false, RandomNumberGenerator.GetBytes(32), ts, Window, 40, CancellationToken.None));
        Assert.Equal(40, uses.Count(u => u == NonceUse.Accepted));
        Assert.All(uses.Skip(40), u => Assert.Equal(NonceUse.Busy, u));
    }

    [Fact]
    public async Task An_estimate_is_recounted_after_a_few_seconds_so_expired_nonces_free_their_slots()
    {
        var clock = new ManualClock(T0);
        await using StateTestStore db = await StateTestStore.SqliteAsync(clock: clock);
        var guard = new NonceReplayGuard(new NonceStore(db.Store));
        byte[] key = RandomNumberGenerator.GetBytes(32);
        for (int i = 0; i < 40; i++)
            Assert.Equal(NonceUse.Accepted, await guard.TryUseAsync("alice.near", key, agentKey: false, RandomNumberGenerator.GetBytes(32), T0.ToUnixTimeMilliseconds(), Window, 40, CancellationToken.None));
        Assert.Equal(NonceUse.Busy, await guard.TryUseAsync("alice.near", key, agentKey: false, RandomNumberGenerator.GetBytes(32), T0.ToUnixTimeMilliseconds(), Window, 40, CancellationToken.None));

        // Every nonce above has left its window: the account is empty again, whatever this instance counted before.
        clock.Advance(Window + NonceStore.RecountEvery);
        long now = clock.Now.ToUnixTimeMilliseconds();
        for (int i = 0; i < 40; i++)
            Assert.Equal(NonceUse.Accepted, await guard.TryUseAsync("alice.near", key, agentKey: false, RandomNumberGenerator.GetBytes(32), now, Window, 40, CancellationToken.None));
    }

    [Fact]
    public async Task A_nonce_accepted_on_one_instance_is_refused_on_another_and_after_a_restart()
    {
        string path = StateTestStore.NewSqlitePath(out _);
        byte[] key = RandomNumberGenerator.GetBytes(32);
        long ts = T0.ToUnixTimeMilliseconds();
        byte[][] nonces = [.. Enumerable.Range(0, 50).Select(_ => RandomNumberGenerator.GetBytes(32))];
        await using (StateTestStore first = await StateTestStore.SqliteAsync(path, clock: new ManualClock(T0)))
        {
            var guard = new NonceReplayGuard(new NonceStore(first.Store));
            // Sequential then concurrent: the account's estimate is warm for most of them.
            foreach (byte[] nonce in nonces.Take(10))
                Assert.Equal(NonceUse.Accepted, await guard.TryUseAsync("alice.near", key, agentKey: false, nonce, ts, Window, 10_000, CancellationToken.None));
            NonceUse[] rest = await Task.WhenAll(nonces.Skip(10).Select(n => Task.Run(() => guard.TryUseAsync("alice.near", key, agentKey: false, n, ts, Window, 10_000, CancellationToken.None))));
            Assert.All(rest, u => Assert.Equal(NonceUse.Accepted, u));
        }
        await using StateTestStore restarted = await StateTestStore.SqliteAsync(path, clock: new ManualClock(T0));
        var again = new NonceReplayGuard(new NonceStore(restarted.Store));
        // Warm this instance's estimate first, so the replays below go the batched way too.
        Assert.Equal(NonceUse.Accepted, await again.TryUseAsync("alice.near", key, agentKey: false, RandomNumberGenerator.GetBytes(32), ts, Window, 10_000, CancellationToken.None));
        NonceUse[] replays = await Task.WhenAll(nonces.Select(n => Task.Run(() => again.TryUseAsync("alice.near", key, agentKey: false, n, ts, Window, 10_000, CancellationToken.None))));
        Assert.All(replays, u => Assert.Equal(NonceUse.Replayed, u));
    }

    [Fact]
    public async Task Two_instances_on_PostgreSQL_accept_each_of_the_same_nonces_exactly_once()
    {
        string connection = await TestPostgres.CreateDatabaseAsync();
        await using StateTestStore a = await StateTestStore.PostgresAsync(connection, clock: new ManualClock(T0));
        await using StateTestStore b = await StateTestStore.PostgresAsync(connection, clock: new ManualClock(T0));
        NonceReplayGuard[] guards = [new(new NonceStore(a.Store)), new(new NonceStore(b.Store))];
        byte[] key = RandomNumberGenerator.GetBytes(32);
        long ts = T0.ToUnixTimeMilliseconds();
        foreach (NonceReplayGuard g in guards)
            Assert.Equal(NonceUse.Accepted, await g.TryUseAsync("alice.near", key, agentKey: false, RandomNumberGenerator.GetBytes(32), ts, Window, 10_000, CancellationToken.None));
        byte[][] nonces = [.. Enumerable.Range(0, 60).Select(_ => RandomNumberGenerator.GetBytes(32))];

        // Each nonce is sent twice to each instance, all at once.
        NonceUse[] uses = await Task.WhenAll(Enumerable.Range(0, 240).Select(i =>
            Task.Run(() => guards[i % 2].TryUseAsync("alice.near", key, agentKey: false, nonces[(i / 2) % 60], ts, Window, 10_000, CancellationToken.None))));

        for (int n = 0; n < 60; n++)
        {
            int accepted = Enumerable.Range(0, 240).Count(i => (i / 2) % 60 == n && uses[i] == NonceUse.Accepted);
            Assert.Equal(1, accepted);
        }
        Assert.Equal(60 * 3, uses.Count(u => u == NonceUse.Replayed));
    }
}
