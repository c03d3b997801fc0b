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

    private sealed class OneClientFactory(HttpMessageHandler handler) : IHttpClientFactory
    {
        public HttpClient CreateClient(string name) => new(handler, disposeHandler: false);
    }
}
