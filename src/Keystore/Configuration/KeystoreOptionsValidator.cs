using System.Globalization;
using Keystore.Auth;
using Keystore.MasterSecrets;
using Keystore.Near.Encoding;
using Keystore.Tee;
using Microsoft.Extensions.Options;

namespace Keystore.Configuration;

/// <summary>
/// Stops startup on a bad setting with a message that names it. Secret values are never echoed:
/// a wrong backup secret is described by its shape, not its content.
/// </summary>
public sealed class KeystoreOptionsValidator(
    IEnumerable<MasterSecretSourceName> sources, IEnumerable<Tee.TeeBackendName> backends, IConfiguration configuration)
    : IValidateOptions<KeystoreOptions>
{
    public ValidateOptionsResult Validate(string? name, KeystoreOptions options)
    {
        var failures = new List<string>();
        // A misspelt key would otherwise be ignored and its default used: MasterSecert:Source=backup would run on the dev secret.
        KnownSettings.Check(configuration.GetSection(KeystoreOptions.Section), typeof(KeystoreOptions), failures);
        string[] sourceNames = sources.Select(s => s.Name).ToArray();

        if (string.IsNullOrWhiteSpace(options.ServiceName))
            failures.Add("Keystore:ServiceName must not be empty.");

        if (options.MaxBodyBytes is < 1024 or > 16 * 1024 * 1024)
            failures.Add(string.Create(CultureInfo.InvariantCulture,
                $"Keystore:MaxBodyBytes must be between 1024 and 16777216 (was {options.MaxBodyBytes})."));

        if (!EnumSetting.TryParse<Keystore.Chains.Bitcoin.BitcoinNetwork>(options.Bitcoin.Network, out _))
            failures.Add($"Keystore:Bitcoin:Network must be {EnumSetting.Choices<Keystore.Chains.Bitcoin.BitcoinNetwork>()} (was '{options.Bitcoin.Network}').");

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
            // The marker is what a running keystore leaves once it has read the hex (options rebound later see it).
            else if (hasHex && !BackupMasterSecretSource.IsWellFormed(secret.BackupHex!) && secret.BackupHex != BackupMasterSecretSource.ConsumedValue)
                failures.Add("Keystore:MasterSecret:BackupHex must be 64 hexadecimal characters (32 bytes); the value given is not (it is not shown).");
            else if (hasFile && !File.Exists(secret.BackupFile))
                failures.Add($"Keystore:MasterSecret:BackupFile '{secret.BackupFile}' does not exist.");
        }
        if (secret.Source == DevMasterSecretSource.SourceName && string.IsNullOrWhiteSpace(secret.DevFile))
            failures.Add("Keystore:MasterSecret:DevFile must not be empty.");

        if (options.Export.PerAccountPerHour is < 1 or > 1000)
            failures.Add("Keystore:Export:PerAccountPerHour must be between 1 and 1000.");
        if (options.Export.AccountCapacity is < 1 or > 10_000_000)
            failures.Add("Keystore:Export:AccountCapacity must be between 1 and 10000000.");

        State.StateOptionsValidation.Validate(options.State, failures);
        Audit.AuditOptions.Validate(options.Audit, failures);
        Webhooks.WebhookOptions.Validate(options.Webhooks, failures);
        global::Keystore.Approvals.ApprovalOptions.Validate(options.Approvals, failures);
        ValidateTeeAndNear(options, backends.Select(b => b.Name).Append(Tee.TeeBackendRegistration.None).ToArray(), failures);

        foreach ((string account, List<string> keys) in options.Owners)
        {
            if (!AccountId.IsValid(account))
                failures.Add($"Keystore:Owners:{account} is not a valid NEAR account id.");
            for (int i = 0; i < keys.Count; i++)
                if (!Keystore.Near.Keys.Ed25519PublicKey.TryParse(keys[i], out _))
                    failures.Add($"Keystore:Owners:{account}:{i} must be an ed25519 public key 'ed25519:<base58>' (was '{keys[i]}').");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void ValidateTeeAndNear(KeystoreOptions options, string[] teeNames, List<string> failures)
    {
        TeeOptions tee = options.Tee;
        NearOptions near = options.Near;
        bool ckd = options.MasterSecret.Source == CkdMasterSecretSource.SourceName;
        bool nearOwners = EnumSetting.TryParse(options.Auth.OwnerKeySource, out OwnerKeySourceKind owners) && owners == OwnerKeySourceKind.Near;

        if (!teeNames.Contains(tee.Provider))
            failures.Add($"Keystore:Tee:Provider must be one of {string.Join(", ", teeNames)} (was '{tee.Provider}').");
        if (ckd && tee.Provider == Tee.TeeBackendRegistration.None)
            failures.Add("Keystore:MasterSecret:Source 'ckd' needs attestation: set Keystore:Tee:Provider to 'dstack' (or 'simulator' on a local chain).");
        if (!Uri.TryCreate(tee.PccsUrl, UriKind.Absolute, out _))
            failures.Add($"Keystore:Tee:PccsUrl must be an absolute URL (was '{tee.PccsUrl}').");
        CheckHex(tee.Simulator.SeedHex, null, "Keystore:Tee:Simulator:SeedHex", failures);
        CheckHex(tee.Simulator.MrtdHex, 48, "Keystore:Tee:Simulator:MrtdHex", failures);
        CheckHex(tee.Simulator.Rtmr0Hex, 48, "Keystore:Tee:Simulator:Rtmr0Hex", failures);
        CheckHex(tee.Simulator.Rtmr1Hex, 48, "Keystore:Tee:Simulator:Rtmr1Hex", failures);
        CheckHex(tee.Simulator.Rtmr2Hex, 48, "Keystore:Tee:Simulator:Rtmr2Hex", failures);
        CheckHex(tee.Simulator.InstanceIdHex, 20, "Keystore:Tee:Simulator:InstanceIdHex", failures);
        if (tee.AppComposeFile is { } compose && !File.Exists(compose))
            failures.Add($"Keystore:Tee:AppComposeFile '{compose}' does not exist.");

        if (!EnumSetting.TryParse<OwnerKeySourceKind>(options.Auth.OwnerKeySource, out _))
            failures.Add($"Keystore:Auth:OwnerKeySource must be {EnumSetting.Choices<OwnerKeySourceKind>()} (was '{options.Auth.OwnerKeySource}').");
        if (options.Auth.OwnerKeyCacheCapacity is < 1 or > 10_000_000)
            failures.Add("Keystore:Auth:OwnerKeyCacheCapacity must be between 1 and 10000000.");
        if (options.Auth.NonceCapacity is < 1 or > 100_000_000)
            failures.Add("Keystore:Auth:NonceCapacity must be between 1 and 100000000.");
        if (options.Near.BindingStatusCapacity is < 1 or > 10_000_000)
            failures.Add("Keystore:Near:BindingStatusCapacity must be between 1 and 10000000.");
        if (options.Near.BindingPublishesPerAccountPerHour is < 1 or > 1_000_000)
            failures.Add("Keystore:Near:BindingPublishesPerAccountPerHour must be between 1 and 1000000.");
        if (options.Near.BindingPublishesPerHour < options.Near.BindingPublishesPerAccountPerHour || options.Near.BindingPublishesPerHour > 10_000_000)
            failures.Add("Keystore:Near:BindingPublishesPerHour must be at least Keystore:Near:BindingPublishesPerAccountPerHour and at most 10000000.");
        RateLimitOptions limits = options.RateLimit;
        if (limits.PermitsPerSecond is < 1 or > 1_000_000)
            failures.Add("Keystore:RateLimit:PermitsPerSecond must be between 1 and 1000000.");
        if (limits.Burst < limits.PermitsPerSecond || limits.Burst > 1_000_000)
            failures.Add("Keystore:RateLimit:Burst must be at least Keystore:RateLimit:PermitsPerSecond and at most 1000000.");
        if (limits.MaxConcurrent is < 0 or > 100_000)
            failures.Add("Keystore:RateLimit:MaxConcurrent must be between 0 (half the processors) and 100000.");
        if (options.Auth.OwnerKeyCacheTtl < TimeSpan.Zero || options.Auth.OwnerKeyCacheTtl > TimeSpan.FromMinutes(10))
            failures.Add("Keystore:Auth:OwnerKeyCacheTtl must be between 00:00:00 and 00:10:00.");
        if (options.KeyCache.Capacity is < 0 or > 10_000_000)
            failures.Add("Keystore:KeyCache:Capacity must be between 0 (no cache) and 10000000.");
        if (options.KeyCache.IdleTimeout <= TimeSpan.Zero || options.KeyCache.IdleTimeout > TimeSpan.FromDays(1))
            failures.Add("Keystore:KeyCache:IdleTimeout must be positive and at most 1.00:00:00.");

        if (ckd || nearOwners)
        {
            string needer = ckd ? "Keystore:MasterSecret:Source 'ckd'" : "Keystore:Auth:OwnerKeySource 'near'";
            if (near.RpcUrls.Count == 0)
                failures.Add($"{needer} needs Keystore:Near:RpcUrls (e.g. https://rpc.testnet.near.org).");
            foreach (string url in near.RpcUrls)
            {
                if (!Uri.TryCreate(url, UriKind.Absolute, out Uri? u) || u.Scheme is not ("http" or "https"))
                    failures.Add($"Keystore:Near:RpcUrls contains '{url}', which is not an http(s) URL.");
                // In a CVM the host owns the network: whoever is on the path could answer plain http for the endpoint.
                else if (tee.Provider == DstackTeeBackend.BackendName && u.Scheme == "http" && !u.IsLoopback)
                    failures.Add($"Keystore:Near:RpcUrls contains '{url}': with Keystore:Tee:Provider 'dstack' an RPC endpoint must be https (plain http can be answered by the host or anyone on the way), unless it is on loopback.");
            }
            if (near.RequestTimeout <= TimeSpan.Zero || near.RequestTimeout > TimeSpan.FromMinutes(5))
                failures.Add("Keystore:Near:RequestTimeout must be positive and at most 00:05:00.");
        }
        if (options.Auth.OwnerKeyCrossCheck && !nearOwners)
            failures.Add("Keystore:Auth:OwnerKeyCrossCheck applies to Keystore:Auth:OwnerKeySource 'near' only.");
        else if (options.Auth.OwnerKeyCrossCheck
            && near.RpcUrls.Select(u => Uri.TryCreate(u, UriKind.Absolute, out Uri? parsed) ? parsed.IdnHost : u).Distinct(StringComparer.OrdinalIgnoreCase).Count() < 2)
            failures.Add("Keystore:Auth:OwnerKeyCrossCheck needs Keystore:Near:RpcUrls on at least two different hosts (independent providers): one provider asked twice checks nothing.");
        if (ckd)
        {
            if (near.DaoContractId is null || !AccountId.IsValid(near.DaoContractId))
                failures.Add($"Keystore:MasterSecret:Source 'ckd' needs Keystore:Near:DaoContractId, a valid NEAR account id (was '{near.DaoContractId}').");
            if ((near.RegistrarAccountId is null) != (near.RegistrarCredentialsFile is null))
                failures.Add("Keystore:Near:RegistrarAccountId and Keystore:Near:RegistrarCredentialsFile go together (set both or neither).");
            if (near.RegistrarAccountId is not null && !AccountId.IsValid(near.RegistrarAccountId))
                failures.Add($"Keystore:Near:RegistrarAccountId '{near.RegistrarAccountId}' is not a valid NEAR account id.");
            if (near.RegistrarCredentialsFile is not null && !File.Exists(near.RegistrarCredentialsFile))
                failures.Add($"Keystore:Near:RegistrarCredentialsFile '{near.RegistrarCredentialsFile}' does not exist.");
            if (near.RevocationCheckInterval < TimeSpan.FromMilliseconds(100) || near.RevocationCheckInterval > TimeSpan.FromHours(1))
                failures.Add("Keystore:Near:RevocationCheckInterval must be between 00:00:00.1 and 01:00:00.");
            if (near.RegistrationPollInterval < TimeSpan.FromMilliseconds(100))
                failures.Add("Keystore:Near:RegistrationPollInterval must be at least 00:00:00.1.");
        }
        // Checked whatever the source: a pin that does not parse is a mistake worth stopping on even where it is unused.
        if (near.MpcPublicKey is not null && !IsMpcPublicKey(near.MpcPublicKey))
            failures.Add($"Keystore:Near:MpcPublicKey must be the MPC network's CKD public key 'bls12381g2:<base58 of 96 bytes>', a point of G2 other than the identity (was '{near.MpcPublicKey}'); "
                + "read it with: near view <mpc contract> public_key '{\"domain_id\":<ckd domain>}'.");
    }

    private static bool IsMpcPublicKey(string text)
    {
        try
        {
            return !Keystore.Near.Ckd.BlsKeyText.ParseG2(text).IsIdentity;
        }
        catch (Exception ex) when (ex is FormatException or ArgumentException)
        {
            return false;
        }
    }

    private static void CheckHex(string? value, int? length, string name, List<string> failures)
    {
        if (value is null) return;
        if (!HexText.IsHex(value, length))
            failures.Add(length is null ? $"{name} must be hexadecimal." : $"{name} must be {length} bytes of hexadecimal ({length * 2} characters).");
    }
}
