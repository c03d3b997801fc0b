using Keystore.Hosting;
using Keystore.Tee;
using Keystore.Tests.Support;
using Microsoft.Extensions.Options;

namespace Keystore.Tests.Api;

public class ConfigurationTests
{
    [Theory]
    [InlineData("Keystore:MasterSecret:Source", "hsm", "Keystore:MasterSecret:Source must be one of")]
    [InlineData("Keystore:Bitcoin:Network", "signet", "Keystore:Bitcoin:Network must be one of")]
    [InlineData("Keystore:MaxBodyBytes", "12", "Keystore:MaxBodyBytes must be between")]
    [InlineData("Keystore:ServiceName", " ", "Keystore:ServiceName must not be empty")]
    [InlineData("Keystore:Owners:Bad_Account!:0", "ed25519:11111111111111111111111111111111", "Keystore:Owners:Bad_Account! is not a valid NEAR account id")]
    [InlineData("Keystore:Owners:bob.near:0", "secp256k1:abc", "Keystore:Owners:bob.near:0 must be an ed25519 public key")]
    [InlineData("Keystore:Tee:Provider", "sgx", "Keystore:Tee:Provider must be one of")]
    [InlineData("Keystore:Tee:Simulator:MrtdHex", "abcd", "Keystore:Tee:Simulator:MrtdHex must be 48 bytes")]
    [InlineData("Keystore:Auth:OwnerKeySource", "ldap", "Keystore:Auth:OwnerKeySource must be 'config' or 'near'")]
    [InlineData("Keystore:Auth:OwnerKeySource", "near", "Keystore:Auth:OwnerKeySource 'near' needs Keystore:Near:RpcUrls")]
    [InlineData("Keystore:MasterSecret:Source", "ckd", "Keystore:MasterSecret:Source 'ckd' needs Keystore:Near:RpcUrls")]
    [InlineData("Keystore:MasterSecret:Source", "ckd", "Keystore:MasterSecret:Source 'ckd' needs Keystore:Near:DaoContractId")]
    [InlineData("Keystore:MasterSecert:Source", "backup", "Keystore:MasterSecert is not a known setting (did you mean Keystore:MasterSecret?)")]
    [InlineData("Keystore:Auth:OwnerKeySorce", "near", "Keystore:Auth:OwnerKeySorce is not a known setting")]
    [InlineData("Keystore:ServiceName:Extra", "x", "Keystore:ServiceName:Extra is not a known setting")]
    [InlineData("Keystore:RateLimit:Burst", "0", "Keystore:RateLimit:Burst must be at least")]
    [InlineData("Keystore:Auth:NonceCapacity", "0", "Keystore:Auth:NonceCapacity must be between")]
    [InlineData("Keystore:KeyCache:Capacity", "-1", "Keystore:KeyCache:Capacity must be between 0 (no cache) and 10000000")]
    [InlineData("Keystore:KeyCache:IdleTimeout", "00:00:00", "Keystore:KeyCache:IdleTimeout must be positive")]
    [InlineData("Keystore:Near:MpcPublicKey", "bls12381g1:6m3B8Xh8XqsnfuGe2CBNzwEvSmMaxVwLJTxHbyH4kAqfx1K4cQ5Pvnbx4WQT7LcEsK", "Keystore:Near:MpcPublicKey must be the MPC network's CKD public key 'bls12381g2:")]
    [InlineData("Keystore:Near:MpcPublicKey", "bls12381g2:1111", "Keystore:Near:MpcPublicKey must be the MPC network's CKD public key 'bls12381g2:")]
    [InlineData("Keystore:Auth:OwnerKeyCrossCheck", "true", "Keystore:Auth:OwnerKeyCrossCheck applies to Keystore:Auth:OwnerKeySource 'near' only")]
    [InlineData("Keystore:KeyCache:Capasity", "10", "Keystore:KeyCache:Capasity is not a known setting (did you mean Keystore:KeyCache:Capacity?)")]
    public async Task A_bad_setting_stops_startup_naming_the_setting(string key, string value, string message)
    {
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() =>
            KeystoreServer.StartAsync(new Dictionary<string, string?> { [key] = value }));
        Assert.Contains(message, error.Message);
    }

    [Fact]
    public async Task The_ckd_source_needs_attestation_and_consistent_registrar_settings()
    {
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => KeystoreServer.StartAsync(new Dictionary<string, string?>
        {
            ["Keystore:MasterSecret:Source"] = "ckd",
            ["Keystore:Tee:Provider"] = "none",
            ["Keystore:Near:RpcUrls:0"] = "ftp://rpc.example",
            ["Keystore:Near:DaoContractId"] = "dao.testnet",
            ["Keystore:Near:RegistrarAccountId"] = "ops.testnet",
        }));
        Assert.Contains("'ckd' needs attestation", error.Message);
        Assert.Contains("'ftp://rpc.example', which is not an http(s) URL", error.Message);
        Assert.Contains("RegistrarAccountId and Keystore:Near:RegistrarCredentialsFile go together", error.Message);
    }

    [Fact]
    public async Task Inside_dstack_an_RPC_endpoint_must_be_https_unless_it_is_on_loopback()
    {
        var settings = new Dictionary<string, string?>
        {
            ["Keystore:MasterSecret:Source"] = "ckd",
            ["Keystore:MasterSecret:BackupHex"] = null,
            ["Keystore:Tee:Provider"] = "dstack",
            ["Keystore:Near:DaoContractId"] = "dao.testnet",
            ["Keystore:Near:RpcUrls:0"] = "http://rpc.testnet.near.org",
            ["Keystore:Near:RpcUrls:1"] = "http://127.0.0.1:3030",
            ["Keystore:Near:RpcUrls:2"] = "https://test.rpc.fastnear.com",
        };
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => KeystoreServer.StartAsync(settings));
        Assert.Contains("'http://rpc.testnet.near.org': with Keystore:Tee:Provider 'dstack' an RPC endpoint must be https", error.Message);
        Assert.DoesNotContain("127.0.0.1", error.Message);
        Assert.DoesNotContain("fastnear", error.Message);
    }

    [Fact]
    public async Task Cross_checking_owner_keys_needs_endpoints_on_two_different_hosts()
    {
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => KeystoreServer.StartAsync(new Dictionary<string, string?>
        {
            ["Keystore:Auth:OwnerKeySource"] = "near",
            ["Keystore:Auth:OwnerKeyCrossCheck"] = "true",
            ["Keystore:Near:RpcUrls:0"] = "https://rpc.mainnet.near.org/",
            ["Keystore:Near:RpcUrls:1"] = "https://RPC.mainnet.near.org/other",
        }));
        Assert.Contains("Keystore:Auth:OwnerKeyCrossCheck needs Keystore:Near:RpcUrls on at least two different hosts", error.Message);
    }

    [Fact]
    public async Task A_malformed_backup_secret_is_named_but_never_echoed()
    {
        const string almost = "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeZZ";
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() =>
            KeystoreServer.StartAsync(new Dictionary<string, string?> { ["Keystore:MasterSecret:BackupHex"] = almost }));
        Assert.Contains("Keystore:MasterSecret:BackupHex must be 64 hexadecimal characters", error.Message);
        Assert.DoesNotContain("00112233", error.Message);
    }

    [Fact]
    public async Task Backup_needs_exactly_one_of_hex_or_file()
    {
        string file = Path.GetTempFileName();
        await File.WriteAllTextAsync(file, KeystoreServer.MasterSecretHex);
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() =>
            KeystoreServer.StartAsync(new Dictionary<string, string?> { ["Keystore:MasterSecret:BackupFile"] = file }));
        Assert.Contains("exactly one of Keystore:MasterSecret:BackupHex or Keystore:MasterSecret:BackupFile", error.Message);

        // From a file alone, it is the same secret as from configuration: the same addresses.
        await using KeystoreServer fromFile = await KeystoreServer.StartAsync(new Dictionary<string, string?>
        {
            ["Keystore:MasterSecret:BackupHex"] = null,
            ["Keystore:MasterSecret:BackupFile"] = file,
        });
        await using KeystoreServer fromHex = await KeystoreServer.StartAsync();
        Assert.Equal(
            await fromHex.Client.GetStringAsync("/v1/accounts/alice.near/keys/bitcoin"),
            await fromFile.Client.GetStringAsync("/v1/accounts/alice.near/keys/bitcoin"));
        File.Delete(file);
    }

    [Fact]
    public async Task The_dev_source_creates_its_secret_once_and_reuses_it()
    {
        string dir = Path.Combine(Path.GetTempPath(), "keystore-dev-" + Guid.NewGuid().ToString("n"));
        var settings = new Dictionary<string, string?>
        {
            ["Keystore:MasterSecret:Source"] = "dev",
            ["Keystore:MasterSecret:DevFile"] = Path.Combine(dir, "secret.hex"),
        };
        string first, second;
        await using (KeystoreServer s = await KeystoreServer.StartAsync(settings))
            first = await s.Client.GetStringAsync("/v1/accounts/alice.near/keys/solana");
        Assert.True(File.Exists(Path.Combine(dir, "secret.hex")));
        if (!OperatingSystem.IsWindows())
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(dir, "secret.hex")));
        await using (KeystoreServer s = await KeystoreServer.StartAsync(settings))
            second = await s.Client.GetStringAsync("/v1/accounts/alice.near/keys/solana");
        Assert.Equal(first, second);
        Directory.Delete(dir, recursive: true);
    }

    [Fact]
    public async Task The_dev_source_is_refused_inside_a_real_TEE()
    {
        string dir = Path.Combine(Path.GetTempPath(), "keystore-dev-" + Guid.NewGuid().ToString("n"));
        await using KeystoreServer server = await KeystoreServer.StartAsync(
            new Dictionary<string, string?>
            {
                ["Keystore:MasterSecret:Source"] = "dev",
                ["Keystore:MasterSecret:DevFile"] = Path.Combine(dir, "secret.hex"),
                ["Keystore:Tee:Provider"] = "none", // so the master-secret step itself meets the TEE
            },
            builder => builder.Services.AddSingleton<ITeeDetector>(new InsideTdx()),
            waitUntilReady: false);
        string detail = "";
        for (int i = 0; i < 100 && !detail.Contains("refused"); i++)
        {
            await Task.Delay(20);
            detail = await (await server.Client.GetAsync("/v1/ready")).Content.ReadAsStringAsync();
        }
        Assert.Contains("'dev' master secret is refused inside a real TEE", detail);
        Assert.False(Directory.Exists(dir)); // and nothing was written
    }

    private sealed class InsideTdx : ITeeDetector
    {
        public bool IsRealTeePresent => true;
    }
}
