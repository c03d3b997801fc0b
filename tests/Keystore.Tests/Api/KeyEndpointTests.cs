using Keystore.Near.Encoding;
using System.Net;
using System.Text.Json.Nodes;
using Keystore.Derivation;
using Keystore.Derivation.BIP39;
using Keystore.MasterSecrets;
using Keystore.Tests.Support;

namespace Keystore.Tests.Api;

public class KeyEndpointTests
{
    [Theory]
    [InlineData("mainnet")]
    [InlineData("testnet")]
    [InlineData("regtest")]
    public async Task Addresses_equal_what_independent_wallets_derive_from_the_account_mnemonic(string network)
    {
        await using KeystoreServer server = await KeystoreServer.StartAsync(
            new Dictionary<string, string?> { ["Keystore:Bitcoin:Network"] = network });
        const string account = "agent-7.alice.near";

        // The account's mnemonic is what a user would export into MetaMask, Sparrow or Phantom.
        using var master = new MasterSecret(Convert.FromHexString(KeystoreServer.MasterSecretHex));
        byte[] entropy = new byte[32];
        AccountKeyDeriver.DeriveAccountEntropy(master, account, entropy);
        string mnemonic = Bip39Text.ToMnemonic(entropy);
        Assert.Equal(24, mnemonic.Split(' ').Length);

        JsonNode expected = await NodeOracle.RunAsync("keystore-addresses.mjs", new JsonObject
        {
            ["mnemonic"] = mnemonic,
            ["indices"] = new JsonArray(0, 1, 2147483647),
            ["bitcoinNetwork"] = network,
        });

        foreach (string chain in new[] { "ethereum", "bitcoin", "solana" })
        {
            int i = 0;
            foreach (uint index in new uint[] { 0, 1, 2147483647 })
            {
                JsonNode key = JsonNode.Parse(await server.Client.GetStringAsync($"/v1/accounts/{account}/keys/{chain}?index={index}"))!;
                Assert.Equal(expected[chain]![i++]!.GetValue<string>(), key["address"]!.GetValue<string>());
                Assert.Equal(account, key["account"]!.GetValue<string>());
                Assert.Equal(chain, key["chain"]!.GetValue<string>());
                Assert.Equal(index, key["index"]!.GetValue<uint>());
            }
        }
        string prefix = network switch { "mainnet" => "bc1p", "testnet" => "tb1p", _ => "bcrt1p" };
        JsonNode btc = JsonNode.Parse(await server.Client.GetStringAsync($"/v1/accounts/{account}/keys/bitcoin"))!;
        Assert.StartsWith(prefix, btc["address"]!.GetValue<string>());
        Assert.Equal(network == "mainnet" ? "m/86'/0'/0'/0/0" : "m/86'/1'/0'/0/0", btc["path"]!.GetValue<string>());
    }

    [Fact]
    public async Task Public_keys_are_in_NEAR_notation()
    {
        await using KeystoreServer server = await KeystoreServer.StartAsync();
        JsonNode eth = JsonNode.Parse(await server.Client.GetStringAsync("/v1/accounts/alice.near/keys/ethereum"))!;
        JsonNode sol = JsonNode.Parse(await server.Client.GetStringAsync("/v1/accounts/alice.near/keys/solana"))!;
        Assert.Equal("m/44'/60'/0'/0/0", eth["path"]!.GetValue<string>());
        Assert.Equal("m/44'/501'/0'/0'", sol["path"]!.GetValue<string>());
        Assert.StartsWith("secp256k1:", eth["publicKey"]!.GetValue<string>());
        Assert.Equal(64, Base58.Decode(eth["publicKey"]!.GetValue<string>()["secp256k1:".Length..]).Length);
        // A Solana address is the base58 of its ed25519 key, so the two must agree.
        Assert.Equal("ed25519:" + sol["address"]!.GetValue<string>(), sol["publicKey"]!.GetValue<string>());
    }

    [Fact]
    public async Task Different_accounts_and_different_master_secrets_give_different_keys()
    {
        await using KeystoreServer a = await KeystoreServer.StartAsync();
        await using KeystoreServer b = await KeystoreServer.StartAsync(new Dictionary<string, string?>
        {
            ["Keystore:MasterSecret:BackupHex"] = new string('1', 64),
        });
        await using KeystoreServer a2 = await KeystoreServer.StartAsync();
        string Address(KeystoreServer s, string account) =>
            JsonNode.Parse(s.Client.GetStringAsync($"/v1/accounts/{account}/keys/ethereum").Result)!["address"]!.GetValue<string>();

        Assert.Equal(Address(a, "alice.near"), Address(a2, "alice.near"));
        Assert.NotEqual(Address(a, "alice.near"), Address(b, "alice.near"));
        Assert.NotEqual(Address(a, "alice.near"), Address(a, "bob.near"));
    }

    [Theory]
    [InlineData("/v1/accounts/Alice.near/keys/ethereum", "invalid-account")]
    [InlineData("/v1/accounts/a/keys/ethereum", "invalid-account")]
    [InlineData("/v1/accounts/alice..near/keys/ethereum", "invalid-account")]
    [InlineData("/v1/accounts/alice.near/keys/dogecoin", "unknown-chain")]
    [InlineData("/v1/accounts/alice.near/keys/ethereum?index=-1", "invalid-index")]
    [InlineData("/v1/accounts/alice.near/keys/ethereum?index=2147483648", "invalid-index")]
    [InlineData("/v1/accounts/alice.near/keys/ethereum?index=0x1", "invalid-index")]
    [InlineData("/v1/accounts/alice.near/keys/solana?index=99999999999", "invalid-index")]
    public async Task Bad_input_is_a_400_problem(string path, string slug)
    {
        await using KeystoreServer server = await KeystoreServer.StartAsync();
        using HttpResponseMessage response = await server.Client.GetAsync(path);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        JsonNode problem = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal("urn:near-tee-keystore:problem:" + slug, problem["type"]!.GetValue<string>());
        Assert.Equal(400, problem["status"]!.GetValue<int>());
    }
}
