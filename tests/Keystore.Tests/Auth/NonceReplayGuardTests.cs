using System.Security.Cryptography;
using Keystore.Auth;
using Keystore.State;
using Keystore.Tests.State;
using Keystore.Tests.Support;
using Keystore.TestSupport.State;

namespace Keystore.Tests.Auth;

public class NonceReplayGuardTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 2, 0, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(5);

    [Fact]
    public async Task A_full_account_refuses_new_requests_but_still_refuses_every_replay()
    {
        var clock = new ManualClock(T0);
        await using StateTestStore db = await StateTestStore.SqliteAsync(clock: clock);
        var guard = new NonceReplayGuard(new NonceStore(db.Store));
        byte[] key = RandomNumberGenerator.GetBytes(32);
        byte[][] nonces = [.. Enumerable.Range(0, 3).Select(_ => RandomNumberGenerator.GetBytes(32))];
        long ts = T0.ToUnixTimeMilliseconds();
        Task<NonceUse> Use(string account, byte[] nonce, long at) => guard.TryUseAsync(account, key, agentKey: false, nonce, at, Window, capacityPerAccount: 2, CancellationToken.None);

        Assert.Equal(NonceUse.Accepted, await Use("alice.near", nonces[0], ts));
        Assert.Equal(NonceUse.Accepted, await Use("alice.near", nonces[1], ts));
        Assert.Equal(NonceUse.Busy, await Use("alice.near", nonces[2], ts));
        // Full, and yet no accepted nonce was forgotten to make room.
        Assert.Equal(NonceUse.Replayed, await Use("alice.near", nonces[0], ts));
        Assert.Equal(NonceUse.Replayed, await Use("alice.near", nonces[1], ts));
        // The bound is per account: another account is not held up by alice's requests.
        Assert.Equal(NonceUse.Accepted, await Use("bob.near", RandomNumberGenerator.GetBytes(32), ts));

        // Up to the last millisecond a request stamped ts passes the timestamp check, the nonce is remembered.
        clock.Advance(Window);
        Assert.Equal(NonceUse.Replayed, await Use("alice.near", nonces[0], ts));
        // After it the timestamp check refuses the old request, so its slot can go to a new one.
        clock.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal(NonceUse.Accepted, await Use("alice.near", nonces[2], clock.Now.ToUnixTimeMilliseconds()));
    }

    [Fact]
    public async Task The_same_nonce_under_another_key_is_another_request()
    {
        await using StateTestStore db = await StateTestStore.SqliteAsync(clock: new ManualClock(T0));
        var guard = new NonceReplayGuard(new NonceStore(db.Store));
        byte[] nonce = RandomNumberGenerator.GetBytes(32);
        long ts = T0.ToUnixTimeMilliseconds();
        Assert.Equal(NonceUse.Accepted, await guard.TryUseAsync("alice.near", RandomNumberGenerator.GetBytes(32), agentKey: false, nonce, ts, Window, 10, CancellationToken.None));
        Assert.Equal(NonceUse.Accepted, await guard.TryUseAsync("alice.near", RandomNumberGenerator.GetBytes(32), agentKey: false, nonce, ts, Window, 10, CancellationToken.None));
    }

    [Fact]
    public async Task Expired_nonces_are_pruned_from_the_table()
    {
        var clock = new ManualClock(T0);
        await using StateTestStore db = await StateTestStore.SqliteAsync(clock: clock);
        var guard = new NonceReplayGuard(new NonceStore(db.Store));
        for (int i = 0; i < 5; i++)
            await guard.TryUseAsync("alice.near", RandomNumberGenerator.GetBytes(32), agentKey: false, RandomNumberGenerator.GetBytes(32), T0.ToUnixTimeMilliseconds(), Window, 100, CancellationToken.None);
        clock.Advance(Window + TimeSpan.FromMinutes(1));
        await db.Store.PruneAsync(CancellationToken.None);
        long left = await db.Store.ReadAsync(async c => Convert.ToInt64(await StateDatabase.ScalarAsync(c, null, "SELECT COUNT(*) FROM nonces", CancellationToken.None)), CancellationToken.None);
        Assert.Equal(0, left);
    }
}
