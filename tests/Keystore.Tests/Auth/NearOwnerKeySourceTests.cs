using System.Text.Json.Nodes;
using Keystore.Auth;
using Keystore.Configuration;
using Keystore.Dao;
using Keystore.Near.Keys;
using Keystore.Tests.Support;
using Microsoft.Extensions.Options;

namespace Keystore.Tests.Auth;

/// <summary>
/// Owners from the chain: only full-access keys own an account, one RPC call serves a burst, a removed key stops
/// working once the entry ages out, and accounts without keys are remembered too so they cannot drive a call each.
/// </summary>
public class NearOwnerKeySourceTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 2, 0, 0, 0, TimeSpan.Zero);

    private static JsonNode KeyList(params (Ed25519PublicKey Key, bool FullAccess)[] keys) => new JsonObject
    {
        ["keys"] = new JsonArray(keys.Select(k => (JsonNode)new JsonObject
        {
            ["public_key"] = k.Key.ToString(),
            ["access_key"] = new JsonObject
            {
                ["nonce"] = 1,
                ["permission"] = k.FullAccess
                    ? "FullAccess"
                    : new JsonObject
                    {
                        ["FunctionCall"] = new JsonObject
                        {
                            ["allowance"] = "250000000000000000000000",
                            ["receiver_id"] = "tee-dao.near",
                            ["method_names"] = new JsonArray("request_master_secret"),
                        },
                    },
            },
        }).ToArray()),
        ["block_height"] = 1,
        ["block_hash"] = "11111111111111111111111111111111",
    };

    private static NearOwnerKeySource Source(ScriptedNearRpc rpc, ManualClock clock)
    {
        var options = Options.Create(new KeystoreOptions
        {
            Near = { RpcUrls = ["http://rpc.invalid/"] },
            Auth = { OwnerKeyCacheTtl = TimeSpan.FromSeconds(10) },
        });
        return new NearOwnerKeySource(new NearConnection(options, new OneClientFactory(rpc)), options, clock);
    }

    [Fact]
    public async Task Full_access_keys_only_are_owners_and_one_call_serves_until_the_entry_ages_out()
    {
        using var k1 = Ed25519KeyPair.Generate();
        using var k2 = Ed25519KeyPair.Generate();
        using var k3 = Ed25519KeyPair.Generate();
        JsonNode list = KeyList((k1.PublicKey, true), (k3.PublicKey, false), (k2.PublicKey, true));
        var rpc = new ScriptedNearRpc([list, list]);
        var clock = new ManualClock(T0);
        NearOwnerKeySource source = Source(rpc, clock);

        IReadOnlySet<Ed25519PublicKey> keys = await source.GetFullAccessKeysAsync("alice.near", CancellationToken.None);
        Assert.True(keys.SetEquals([k1.PublicKey, k2.PublicKey]));
        await source.GetFullAccessKeysAsync("alice.near", CancellationToken.None);
        Assert.Single(rpc.Requests);
        clock.Advance(TimeSpan.FromSeconds(11));
        await source.GetFullAccessKeysAsync("alice.near", CancellationToken.None);
        Assert.Equal(2, rpc.Requests.Count);
    }

    [Fact]
    public async Task An_account_that_does_not_exist_has_no_owners_and_is_asked_for_once()
    {
        var rpc = new ScriptedNearRpc([ScriptedNearRpc.UnknownAccount()]);
        NearOwnerKeySource source = Source(rpc, new ManualClock(T0));

        Assert.Empty(await source.GetFullAccessKeysAsync("nobody.near", CancellationToken.None));
        Assert.Empty(await source.GetFullAccessKeysAsync("nobody.near", CancellationToken.None));
        Assert.Single(rpc.Requests);
    }

    private static NearOwnerKeySource CrossChecked(ScriptedNearRpc first, ScriptedNearRpc second)
    {
        var options = Options.Create(new KeystoreOptions
        {
            Near = { RpcUrls = ["https://rpc.one.invalid/", "https://rpc.two.invalid/"] },
            Auth = { OwnerKeySource = "near", OwnerKeyCrossCheck = true, OwnerKeyCacheTtl = TimeSpan.FromSeconds(10) },
        });
        var byHost = new ByHost(new Dictionary<string, HttpMessageHandler> { ["rpc.one.invalid"] = first, ["rpc.two.invalid"] = second });
        return new NearOwnerKeySource(new NearConnection(options, new OneClientFactory(byHost)), options, new ManualClock(T0));
    }

    [Fact]
    public async Task Unchecked_one_endpoint_that_lists_an_attackers_key_makes_the_attacker_an_owner()
    {
        // The trust Keystore:Auth:OwnerKeyCrossCheck removes: one endpoint's word decides who owns the account.
        using var owner = Ed25519KeyPair.Generate();
        using var attacker = Ed25519KeyPair.Generate();
        var rpc = new ScriptedNearRpc([KeyList((owner.PublicKey, true), (attacker.PublicKey, true))]);

        IReadOnlySet<Ed25519PublicKey> keys = await Source(rpc, new ManualClock(T0)).GetFullAccessKeysAsync("alice.near", CancellationToken.None);

        Assert.Contains(attacker.PublicKey, keys);
    }

    [Fact]
    public async Task Cross_checked_an_endpoint_that_lists_an_extra_key_makes_owner_keys_unavailable_and_nothing_is_cached()
    {
        using var owner = Ed25519KeyPair.Generate();
        using var attacker = Ed25519KeyPair.Generate();
        var hostile = new ScriptedNearRpc([KeyList((owner.PublicKey, true), (attacker.PublicKey, true)), KeyList((owner.PublicKey, true))]);
        var honest = new ScriptedNearRpc([KeyList((owner.PublicKey, true)), KeyList((owner.PublicKey, true))]);
        NearOwnerKeySource source = CrossChecked(hostile, honest);

        var refused = await Assert.ThrowsAsync<Keystore.Problems.ProblemException>(() => source.GetFullAccessKeysAsync("alice.near", CancellationToken.None));
        Assert.Equal(Keystore.Problems.ProblemTypes.OwnerKeysUnavailable, refused.Problem);
        Assert.Contains("do not list the same full-access keys for alice.near", refused.Message);

        // Asked again at once (the disagreement was not cached): now they agree.
        IReadOnlySet<Ed25519PublicKey> keys = await source.GetFullAccessKeysAsync("alice.near", CancellationToken.None);
        Assert.True(keys.SetEquals([owner.PublicKey]));
        Assert.Equal(2, hostile.Requests.Count);
        Assert.Equal(2, honest.Requests.Count);
    }

    [Fact]
    public async Task Cross_checked_an_endpoint_that_says_the_account_does_not_exist_makes_owner_keys_unavailable()
    {
        using var owner = Ed25519KeyPair.Generate();
        var listing = new ScriptedNearRpc([KeyList((owner.PublicKey, true))]);
        var denying = new ScriptedNearRpc([ScriptedNearRpc.UnknownAccount()]);

        var refused = await Assert.ThrowsAsync<Keystore.Problems.ProblemException>(() =>
            CrossChecked(listing, denying).GetFullAccessKeysAsync("alice.near", CancellationToken.None));

        Assert.Equal(Keystore.Problems.ProblemTypes.OwnerKeysUnavailable, refused.Problem);
    }

    [Fact]
    public async Task Cross_checked_endpoints_that_agree_give_the_keys_with_one_call_each_until_the_entry_ages_out()
    {
        using var k1 = Ed25519KeyPair.Generate();
        using var k2 = Ed25519KeyPair.Generate();
        var first = new ScriptedNearRpc([KeyList((k1.PublicKey, true), (k2.PublicKey, true))]);
        var second = new ScriptedNearRpc([KeyList((k2.PublicKey, true), (k1.PublicKey, true))]);
        NearOwnerKeySource source = CrossChecked(first, second);

        IReadOnlySet<Ed25519PublicKey> keys = await source.GetFullAccessKeysAsync("alice.near", CancellationToken.None);
        await source.GetFullAccessKeysAsync("alice.near", CancellationToken.None);

        Assert.True(keys.SetEquals([k1.PublicKey, k2.PublicKey]));
        Assert.Single(first.Requests);
        Assert.Single(second.Requests);
    }

    /// <summary>Sends each request to the handler of its host, as separate providers would answer.</summary>
    private sealed class ByHost(Dictionary<string, HttpMessageHandler> handlers) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            new HttpMessageInvoker(handlers[request.RequestUri!.Host], disposeHandler: false).SendAsync(request, cancellationToken);
    }

    private sealed class OneClientFactory(HttpMessageHandler handler) : IHttpClientFactory
    {
        public HttpClient CreateClient(string name) => new(handler, disposeHandler: false);
    }
}
