using System.Net;
using System.Security.Cryptography;
using Keystore.Configuration;
using Keystore.MasterSecrets;
using Keystore.Tests.Support;
using Microsoft.Extensions.Options;

namespace Keystore.Tests.MasterSecrets;

/// <summary>A BackupHex is parsed once into a pinned buffer and then taken out of configuration, options and environment.</summary>
public class BackupSecretTests
{
    private const string HexKey = "Keystore:MasterSecret:BackupHex";
    private const string EnvironmentPrefix = "BACKUP_SECRET_TESTS_";

    [Fact]
    public async Task A_running_keystore_keeps_the_BackupHex_in_no_provider_and_no_options()
    {
        await using KeystoreServer server = await KeystoreServer.StartAsync();
        var configuration = (IConfigurationRoot)server.Services.GetRequiredService<IConfiguration>();
        Assert.Equal(BackupMasterSecretSource.ConsumedValue, configuration[HexKey]);
        foreach (IConfigurationProvider provider in configuration.Providers)
            Assert.False(provider.TryGet(HexKey, out string? value) && value == KeystoreServer.MasterSecretHex, $"{provider} still has the secret");
        Assert.Equal(BackupMasterSecretSource.ConsumedValue, server.Services.GetRequiredService<IOptions<KeystoreOptions>>().Value.MasterSecret.BackupHex);
        Assert.Equal(BackupMasterSecretSource.ConsumedValue, server.Services.GetRequiredService<IOptionsMonitor<KeystoreOptions>>().CurrentValue.MasterSecret.BackupHex);
        // Options bound afresh from the scrubbed configuration still validate, and signing (which reads them) works.
        Assert.Equal(BackupMasterSecretSource.ConsumedValue,
            server.Services.GetRequiredService<IOptionsFactory<KeystoreOptions>>().Create(Options.DefaultName).MasterSecret.BackupHex);
        using HttpResponseMessage signed = await server.Client.SendAsync(server.SignedPost("/v1/accounts/alice.near/sign/ethereum", """{"message":"x"}"""));
        Assert.Equal(HttpStatusCode.OK, signed.StatusCode);
    }

    private static (BackupMasterSecretSource Source, IConfigurationRoot Configuration, IOptionsMonitor<KeystoreOptions> Monitor) Source(string hex)
    {
        Environment.SetEnvironmentVariable(EnvironmentPrefix + "Keystore__MasterSecret__BackupHex", hex);
        IConfigurationRoot configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Keystore:MasterSecret:Source"] = "backup", [HexKey] = hex })
            .AddEnvironmentVariables(EnvironmentPrefix)
            .Build();
        var services = new ServiceCollection();
        services.AddOptions<KeystoreOptions>().Bind(configuration.GetSection(KeystoreOptions.Section));
        ServiceProvider provider = services.BuildServiceProvider();
        var monitor = provider.GetRequiredService<IOptionsMonitor<KeystoreOptions>>();
        _ = monitor.CurrentValue; // bound before the load, as the start-up validation binds it
        return (new BackupMasterSecretSource(provider.GetRequiredService<IOptions<KeystoreOptions>>(), monitor, configuration), configuration, monitor);
    }

    private static byte[] Hmac(MasterSecret secret)
    {
        var mac = new byte[32];
        secret.HmacSha256("probe"u8, mac);
        return mac;
    }

    [Fact]
    public async Task The_hex_is_read_once_and_every_load_gives_the_same_secret_until_Dispose()
    {
        string hex = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
        var (source, configuration, monitor) = Source(hex);
        using MasterSecret first = await source.LoadAsync(CancellationToken.None);
        Assert.Equal(HMACSHA256.HashData(Convert.FromHexString(hex), "probe"u8), Hmac(first));

        // Gone from every provider (the environment one too), from the options, from the process environment.
        foreach (IConfigurationProvider provider in configuration.Providers)
            Assert.True(provider.TryGet(HexKey, out string? value) && value == BackupMasterSecretSource.ConsumedValue, provider.ToString());
        Assert.Equal(BackupMasterSecretSource.ConsumedValue, monitor.CurrentValue.MasterSecret.BackupHex);
        Assert.Null(Environment.GetEnvironmentVariable(EnvironmentPrefix + "Keystore__MasterSecret__BackupHex"));
        Assert.DoesNotContain(hex, source.ToString());

        // A boot retried loads again: the same secret, from the pinned copy.
        using MasterSecret second = await source.LoadAsync(CancellationToken.None);
        Assert.Equal(Hmac(first), Hmac(second));

        source.Dispose();
        await Assert.ThrowsAsync<ObjectDisposedException>(() => source.LoadAsync(CancellationToken.None));
        Assert.Equal(Hmac(first), Hmac(second)); // what was handed out is the keystore's own copy
    }

    [Theory]
    [InlineData("", "\n")]
    [InlineData("\uFEFF  ", " \r\n\r\n")]
    [InlineData("\t", "")]
    public async Task A_BackupFile_is_parsed_from_its_bytes_around_whitespace_and_a_byte_order_mark(string before, string after)
    {
        byte[] secret = RandomNumberGenerator.GetBytes(32);
        string file = Path.GetTempFileName();
        await File.WriteAllTextAsync(file, before + Convert.ToHexString(secret) + after, new System.Text.UTF8Encoding(false));
        var source = FileSource(file);
        using MasterSecret loaded = await source.LoadAsync(CancellationToken.None);
        Assert.Equal(HMACSHA256.HashData(secret, "probe"u8), Hmac(loaded));
        File.Delete(file);
    }

    [Theory]
    [InlineData(63)]
    [InlineData(65)]
    [InlineData(2000)]
    public async Task A_BackupFile_that_is_not_64_hex_digits_is_refused_without_echoing_it(int digits)
    {
        string content = string.Concat(Enumerable.Repeat("a1", digits)).Substring(0, digits);
        string file = Path.GetTempFileName();
        await File.WriteAllTextAsync(file, content);
        var error = await Assert.ThrowsAsync<Keystore.Boot.BootFailureException>(() => FileSource(file).LoadAsync(CancellationToken.None));
        Assert.Equal("The backup master secret is not 64 hexadecimal characters.", error.Message);
        Assert.False(error.Retryable);
        File.Delete(file);
    }

    private static BackupMasterSecretSource FileSource(string file)
    {
        IConfigurationRoot configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Keystore:MasterSecret:Source"] = "backup", ["Keystore:MasterSecret:BackupFile"] = file })
            .Build();
        var services = new ServiceCollection();
        services.AddOptions<KeystoreOptions>().Bind(configuration.GetSection(KeystoreOptions.Section));
        ServiceProvider provider = services.BuildServiceProvider();
        return new BackupMasterSecretSource(provider.GetRequiredService<IOptions<KeystoreOptions>>(),
            provider.GetRequiredService<IOptionsMonitor<KeystoreOptions>>(), configuration);
    }

    [Fact]
    public async Task The_consumed_marker_given_as_a_secret_is_a_clear_error()
    {
        var (source, _, _) = Source(BackupMasterSecretSource.ConsumedValue);
        var error = await Assert.ThrowsAsync<Keystore.Boot.BootFailureException>(() => source.LoadAsync(CancellationToken.None));
        Assert.False(error.Retryable);
        Assert.Contains("Keystore:MasterSecret:BackupHex holds no secret", error.Message);
        Assert.Contains("(consumed)", error.Message);
        source.Dispose();
    }
}
