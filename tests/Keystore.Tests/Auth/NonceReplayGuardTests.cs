using System.Security.Cryptography;
using Keystore.Auth;
using Keystore.Configuration;
using Keystore.Tests.Support;
using Microsoft.Extensions.Options;

namespace Keystore.Tests.Auth;

public class NonceReplayGuardTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 2, 0, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(5);

    private static NonceReplayGuard Guard(int capacity, ManualClock clock) =>
        new(Options.Create(new KeystoreOptions { Auth = new AuthOptions { NonceCapacity = capacity } }), clock);

    [Fact]
    public void A_full_guard_refuses_new_requests_but_still_refuses_every_replay()
    {
        var clock = new ManualClock(T0);
        NonceReplayGuard guard = Guard(2, clock);
        byte[] key = RandomNumberGenerator.GetBytes(32);
        byte[][] nonces = [.. Enumerable.Range(0, 3).Select(_ => RandomNumberGenerator.GetBytes(32))];
        long ts = T0.ToUnixTimeMilliseconds();

        Assert.Equal(NonceUse.Accepted, guard.TryUse(key, nonces[0], ts, Window));
        Assert.Equal(NonceUse.Accepted, guard.TryUse(key, nonces[1], ts, Window));
        Assert.Equal(NonceUse.Busy, guard.TryUse(key, nonces[2], ts, Window));
        // Full, and yet no accepted nonce was forgotten to make room.
        Assert.Equal(NonceUse.Replayed, guard.TryUse(key, nonces[0], ts, Window));
        Assert.Equal(NonceUse.Replayed, guard.TryUse(key, nonces[1], ts, Window));

        // Up to the last millisecond a request stamped ts passes the timestamp check, the nonce is remembered.
        clock.Advance(Window);
        Assert.Equal(NonceUse.Replayed, guard.TryUse(key, nonces[0], ts, Window));
        // After it the timestamp check refuses the old request, so its slot can go to a new one.
        clock.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal(NonceUse.Accepted, guard.TryUse(key, nonces[2], clock.Now.ToUnixTimeMilliseconds(), Window));
    }

    [Fact]
    public void The_same_nonce_under_another_key_is_another_request()
    {
        NonceReplayGuard guard = Guard(10, new ManualClock(T0));
        byte[] nonce = RandomNumberGenerator.GetBytes(32);
        long ts = T0.ToUnixTimeMilliseconds();
        Assert.Equal(NonceUse.Accepted, guard.TryUse(RandomNumberGenerator.GetBytes(32), nonce, ts, Window));
        Assert.Equal(NonceUse.Accepted, guard.TryUse(RandomNumberGenerator.GetBytes(32), nonce, ts, Window));
    }
}
