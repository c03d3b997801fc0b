using Keystore.Near.Encoding;
using System.Globalization;
using Keystore.Auth;
using Keystore.MasterSecrets;
using Microsoft.Extensions.Options;

namespace Keystore.Configuration;

/// <summary>
/// Stops startup on a bad setting with a message that names it. Secret values are never echoed:
/// a wrong backup secret is described by its shape, not its content.
/// </summary>
public sealed class KeystoreOptionsValidator(IEnumerable<MasterSecretSourceName> sources) : IValidateOptions<KeystoreOptions>
{
    private static readonly string[] BitcoinNetworks = ["mainnet", "testnet", "regtest"];

    public ValidateOptionsResult Validate(string? name, KeystoreOptions options)
    {
        var failures = new List<string>();
        string[] sourceNames = sources.Select(s => s.Name).ToArray();

        if (string.IsNullOrWhiteSpace(options.ServiceName))
            failures.Add("Keystore:ServiceName must not be empty.");

        if (options.MaxBodyBytes is < 1024 or > 16 * 1024 * 1024)
            failures.Add(string.Create(CultureInfo.InvariantCulture,
                $"Keystore:MaxBodyBytes must be between 1024 and 16777216 (was {options.MaxBodyBytes})."));

        if (!BitcoinNetworks.Contains(options.Bitcoin.Network))
            failures.Add($"Keystore:Bitcoin:Network must be one of {string.Join(", ", BitcoinNetworks)} (was '{options.Bitcoin.Network}').");

        if (options.Auth.MaxClockSkew <= TimeSpan.Zero || options.Auth.MaxClockSkew > TimeSpan.FromHours(1))
            failures.Add("Keystore:Auth:MaxClockSkew must be positive and at most 01:00:00.");

        MasterSecretOptions secret = options.MasterSecret;
        if (!sourceNames.Contains(secret.Source))
            failures.Add($"Keystore:MasterSecret:Source must be one of {string.Join(", ", sourceNames)} (was '{secret.Source}').");
        if (secret.Source == BackupMasterSecretSource.SourceName)
        {
            bool hasHex = !string.IsNullOrEmpty(secret.BackupHex);
            bool hasFile = !string.IsNullOrEmpty(secret.BackupFile);
            if (hasHex == hasFile)
                failures.Add("Keystore:MasterSecret:Source 'backup' needs exactly one of Keystore:MasterSecret:BackupHex or Keystore:MasterSecret:BackupFile.");
            else if (hasHex && !BackupMasterSecretSource.IsWellFormed(secret.BackupHex!))
                failures.Add("Keystore:MasterSecret:BackupHex must be 64 hexadecimal characters (32 bytes); the value given is not (it is not shown).");
            else if (hasFile && !File.Exists(secret.BackupFile))
                failures.Add($"Keystore:MasterSecret:BackupFile '{secret.BackupFile}' does not exist.");
        }
        if (secret.Source == DevMasterSecretSource.SourceName && string.IsNullOrWhiteSpace(secret.DevFile))
            failures.Add("Keystore:MasterSecret:DevFile must not be empty.");

        foreach ((string account, List<string> keys) in options.Owners)
        {
            if (!AccountId.IsValid(account))
                failures.Add($"Keystore:Owners:{account} is not a valid NEAR account id.");
            for (int i = 0; i < keys.Count; i++)
                if (!NearPublicKey.TryParseEd25519(keys[i], out _))
                    failures.Add($"Keystore:Owners:{account}:{i} must be an ed25519 public key 'ed25519:<base58>' (was '{keys[i]}').");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
