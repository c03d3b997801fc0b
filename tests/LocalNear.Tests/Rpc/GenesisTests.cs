using System.Numerics;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Keystore.LocalNear.Genesis;
using Keystore.LocalNear.Hosting;
using Keystore.Near.Bls12381;
using Keystore.Near.Encoding;
using Keystore.Near.Keys;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using Xunit;

namespace Keystore.LocalNear.Tests.Rpc;

/// <summary>Genesis accounts, persisted keys, NEAR CLI credentials and configuration validation.</summary>
public sealed class GenesisTests
{
    [Fact]
    public async Task Default_genesis_has_the_keystore_network_accounts_with_credentials_near_cli_can_read()
    {
        await using var t = await LocalChainHost.StartAsync();
        string[] expected = ["test.near", "dao.test.near", "chain-keys.test.near", "v1.signer.test.near", "alice.test.near", "bob.test.near", "carol.test.near"];
        Assert.Equal(expected, t.Host.Genesis.Document.Accounts.Select(a => a.AccountId));
        Assert.Equal("test.near", t.Host.Genesis.RootAccountId);
        Assert.Equal("v1.signer.test.near", t.Host.Genesis.MpcAccountId);

        foreach (string account in expected)
        {
            Assert.NotNull(await t.Rpc.ViewAccountAsync(account));
            string file = Path.Combine(t.CredentialsDir, "localnet", account + ".json");
            var json = JsonNode.Parse(File.ReadAllText(file))!;
            Assert.Equal(account, json["account_id"]!.GetValue<string>());
            using var key = Ed25519KeyPair.ParseSecretKey(json["private_key"]!.GetValue<string>());
            Assert.Equal(t.Host.Keys[account].PublicKey, key.PublicKey);
            Assert.Equal(key.PublicKey.ToString(), json["public_key"]!.GetValue<string>());
            var onChain = await t.Rpc.ViewAccessKeyAsync(account, key.PublicKey);
            Assert.True(onChain.IsFullAccess);
            if (!OperatingSystem.IsWindows())
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
        }
    }

    [Fact]
    public async Task Restart_reuses_the_keys_and_existing_credentials_are_adopted()
    {
        string dir = Directory.CreateTempSubdirectory("localnear-genesis-").FullName;
        try
        {
            // A NEAR CLI credential that predates the data directory becomes that account's genesis key.
            using var existing = Ed25519KeyPair.Generate();
            Directory.CreateDirectory(Path.Combine(dir, "credentials", "localnet"));
            File.WriteAllText(Path.Combine(dir, "credentials", "localnet", "alice.test.near.json"), GenesisKeys.CredentialJson("alice.test.near", existing));

            Ed25519PublicKey first;
            await using (var t = await LocalChainHost.StartAsync(directory: dir))
            {
                first = t.Host.Keys["test.near"].PublicKey;
                Assert.Equal(existing.PublicKey, t.Host.Keys["alice.test.near"].PublicKey);
            }
            await using (var t = await LocalChainHost.StartAsync(directory: dir))
            {
                Assert.Equal(first, t.Host.Keys["test.near"].PublicKey);
                Assert.Equal(existing.PublicKey, t.Host.Keys["alice.test.near"].PublicKey);
                Assert.True((await t.Rpc.ViewAccessKeyAsync("test.near", first)).IsFullAccess);
            }
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public async Task Genesis_file_deploys_code_and_sets_the_root()
    {
        string dir = Directory.CreateTempSubdirectory("localnear-genesis-").FullName;
        try
        {
            string wasm = RepoPaths.ContractWasm("chain_keys");
            File.Copy(wasm, Path.Combine(dir, "ck.wasm"));
            File.WriteAllText(Path.Combine(dir, "genesis.json"), """
                {
                  "root_account": "root.near",
                  "accounts": [
                    { "account_id": "app.root.near", "balance": "5000000000000000000000000", "code_file": "ck.wasm" },
                    { "account_id": "root.near", "balance": "1000000000000000000000000000" }
                  ]
                }
                """);
            await using var t = await LocalChainHost.StartAsync(o => o.GenesisFile = Path.Combine(dir, "genesis.json"));
            Assert.Equal("root.near", t.Host.Genesis.RootAccountId);
            Assert.Null(t.Host.Genesis.MpcAccountId);
            var app = await t.Rpc.ViewAccountAsync("app.root.near");
            Assert.Equal(Base58.Encode(SHA256.HashData(File.ReadAllBytes(wasm))), app.CodeHash);
            var status = await t.Rpc.CallAsync("status", new JsonArray(), CancellationToken.None);
            Assert.Equal("root.near", status["validator_account_id"]!.GetValue<string>());
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Theory]
    [InlineData("""{"accounts":[]}""")]
    [InlineData("""{"accounts":[{"account_id":"Bad..id","balance":"1"}]}""")]
    [InlineData("""{"accounts":[{"account_id":"a.near","balance":"lots"}]}""")]
    [InlineData("""{"accounts":[{"account_id":"a.near","balance":"1"},{"account_id":"a.near","balance":"1"}]}""")]
    [InlineData("""{"accounts":[{"account_id":"a.near","balance":"1","native_contract":"oracle"}]}""")]
    [InlineData("""{"root_account":"b.near","accounts":[{"account_id":"a.near","balance":"1"}]}""")]
    [InlineData("""{"accounts":[{"account_id":"a.near","balance":"1","code_file":"missing.wasm"}]}""")]
    public void Genesis_document_rejects_invalid_documents(string json) =>
        Assert.Throws<FormatException>(() => GenesisDocument.Parse(json, Path.GetTempPath()));

    [Fact]
    public async Task Configuration_is_bound_from_the_local_near_section()
    {
        string dir = Directory.CreateTempSubdirectory("localnear-config-").FullName;
        try
        {
            var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["LocalNear:RpcUrl"] = "http://127.0.0.1:0",
                ["LocalNear:ChainId"] = "devnet-7",
                ["LocalNear:DataDir"] = Path.Combine(dir, "data"),
                ["LocalNear:WriteCredentials"] = "false",
                ["LocalNear:Mpc:DomainId"] = "5",
                ["LocalNear:Mpc:TimeoutFirstRequests"] = "3",
            }).Build();
            await using var host = LocalNearHost.Create(configuration);
            var url = await host.StartAsync();
            Assert.NotEqual(0, url.Port);
            Assert.Equal("devnet-7", host.ChainId);
            Assert.Equal(5u, host.Options.Mpc.DomainId);
            Assert.Equal(3, host.Options.Mpc.TimeoutFirstRequests);
            var signer = Assert.IsType<Keystore.LocalNear.Mpc.MpcSignerContract>(host.Genesis.ChainOptions.NativeContracts[host.Genesis.MpcAccountId!]);
            Assert.Equal(3, signer.TimeoutsLeft);
            Assert.Null(host.Genesis.CredentialsDirectory);
            using var http = new HttpClient();
            var response = await http.PostAsync(url, new StringContent("""{"jsonrpc":"2.0","id":"x","method":"status","params":[]}"""));
            var status = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
            Assert.Equal("devnet-7", status["result"]!["chain_id"]!.GetValue<string>());
            Assert.Equal("x", status["id"]!.GetValue<string>());
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void Mpc_timeout_injection_is_announced_in_the_log_and_off_by_default()
    {
        string dir = Directory.CreateTempSubdirectory("localnear-genesis-").FullName;
        try
        {
            var logger = new ListLogger();
            var options = new LocalNearOptions { DataDir = Path.Combine(dir, "data"), WriteCredentials = false };
            using (var plain = LocalGenesis.Create(options, logger))
                Assert.Equal(0, Assert.IsType<Keystore.LocalNear.Mpc.MpcSignerContract>(plain.ChainOptions.NativeContracts[plain.MpcAccountId!]).TimeoutsLeft);
            Assert.DoesNotContain(logger.Lines, l => l.Contains("Fault injection", StringComparison.Ordinal));

            options.Mpc.TimeoutFirstRequests = 2;
            using var faulty = LocalGenesis.Create(options, logger);
            Assert.Contains(logger.Lines, l => l.StartsWith("Warning: Fault injection: the MPC signer v1.signer.test.near fails its first 2", StringComparison.Ordinal)
                && l.Contains("Request has timed out.", StringComparison.Ordinal));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private sealed class ListLogger : Microsoft.Extensions.Logging.ILogger
    {
        public List<string> Lines { get; } = [];

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(Microsoft.Extensions.Logging.LogLevel logLevel) => true;

        public void Log<TState>(Microsoft.Extensions.Logging.LogLevel logLevel, Microsoft.Extensions.Logging.EventId eventId, TState state, Exception? exception,
            Func<TState, Exception?, string> formatter) => Lines.Add($"{logLevel}: {formatter(state, exception)}");
    }

    [Theory]
    [InlineData("LocalNear:Mpc:MasterKeyHex", "00")]
    [InlineData("LocalNear:Mpc:MasterKeyHex", "0000000000000000000000000000000000000000000000000000000000000000")]
    [InlineData("LocalNear:Mpc:MasterKeyHex", "73eda753299d7d483339d80809a1d80553bda402fffe5bfeffffffff00000001")]
    [InlineData("LocalNear:RpcUrl", "https://127.0.0.1:3030")]
    [InlineData("LocalNear:RpcUrl", "not a url")]
    [InlineData("LocalNear:ChainId", "Local Net")]
    [InlineData("LocalNear:GenesisFile", "/nonexistent/genesis.json")]
    [InlineData("LocalNear:Mpc:TimeoutFirstRequests", "-1")]
    public void Invalid_settings_are_rejected_before_starting(string key, string value)
    {
        string dir = Directory.CreateTempSubdirectory("localnear-config-").FullName;
        try
        {
            var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["LocalNear:DataDir"] = Path.Combine(dir, "data"),
                ["LocalNear:WriteCredentials"] = "false",
                [key] = value,
            }).Build();
            Assert.Throws<OptionsValidationException>(() => LocalNearHost.Create(configuration));
            Assert.False(Directory.Exists(Path.Combine(dir, "data")), "nothing is written for an invalid configuration");
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void Dev_master_key_is_sha256_of_the_label_reduced_modulo_r()
    {
        var digest = new BigInteger(SHA256.HashData(Encoding.ASCII.GetBytes("local-near-mpc")), isUnsigned: true, isBigEndian: true);
        var expected = Scalar.FromBigInteger(digest % Scalar.R);
        Assert.Equal(LocalMpcOptions.DevMasterKeyHex, Convert.ToHexStringLower(expected));
        Assert.True(Scalar.IsCanonicalNonZero(expected));
    }

    [Fact]
    public void Home_relative_paths_are_expanded()
    {
        string home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        Assert.Equal(Path.Combine(home, ".local-near"), LocalNearOptions.ExpandPath("~/.local-near"));
        Assert.Equal(Path.GetFullPath("rel/dir"), LocalNearOptions.ExpandPath("rel/dir"));
    }
}
