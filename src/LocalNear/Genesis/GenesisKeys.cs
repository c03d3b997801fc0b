using System.Text.Json.Nodes;
using Keystore.Near.Keys;
using Microsoft.Extensions.Logging;

namespace Keystore.LocalNear.Genesis;

/// <summary>
/// The full-access key of every genesis account. Keys are generated once and kept in
/// <c>&lt;DataDir&gt;/keys/&lt;account&gt;.json</c> (NEAR CLI's credentials format) so a restarted chain has the
/// same keys and existing credentials keep working; they can also be written as NEAR CLI credentials.
/// </summary>
public sealed class GenesisKeys : IDisposable
{
    /// <summary>The key directory's name inside the data directory.</summary>
    public const string DirectoryName = "keys";

    private readonly Dictionary<string, Ed25519KeyPair> _keys;

    private GenesisKeys(Dictionary<string, Ed25519KeyPair> keys) => _keys = keys;

    public IReadOnlyCollection<string> AccountIds => _keys.Keys;

    public Ed25519KeyPair this[string accountId] =>
        _keys.TryGetValue(accountId, out var key) ? key : throw new KeyNotFoundException($"'{accountId}' is not a genesis account.");

    public bool TryGet(string accountId, out Ed25519KeyPair key) => _keys.TryGetValue(accountId, out key!);

    /// <summary>
    /// Reads each account's key from <paramref name="dataDirectory"/>; a missing one is taken from existing NEAR CLI
    /// credentials (<paramref name="credentialsNetworkDirectory"/>) when present there, else generated, and persisted.
    /// </summary>
    public static GenesisKeys LoadOrCreate(string dataDirectory, IEnumerable<string> accountIds, string? credentialsNetworkDirectory, ILogger logger)
    {
        string keyDir = Path.Combine(dataDirectory, DirectoryName);
        CreatePrivateDirectory(keyDir);
        var keys = new Dictionary<string, Ed25519KeyPair>(StringComparer.Ordinal);
        try
        {
            foreach (string account in accountIds)
            {
                string file = Path.Combine(keyDir, account + ".json");
                if (File.Exists(file))
                {
                    keys[account] = ReadKeyFile(file, account);
                    continue;
                }
                string? existing = credentialsNetworkDirectory is null ? null : Path.Combine(credentialsNetworkDirectory, account + ".json");
                if (existing is not null && File.Exists(existing) && TryReadKeyFile(existing, account) is { } reused)
                {
                    keys[account] = reused;
                    logger.LogInformation("Reusing the NEAR CLI key of {AccountId} from {File}", account, existing);
                }
                else
                {
                    keys[account] = Ed25519KeyPair.Generate();
                    logger.LogInformation("Generated a key for {AccountId}: {PublicKey}", account, keys[account].PublicKey);
                }
                WriteKeyFile(file, account, keys[account]);
            }
            return new GenesisKeys(keys);
        }
        catch
        {
            foreach (var key in keys.Values) key.Dispose();
            throw;
        }
    }

    /// <summary>Writes <c>&lt;networkDirectory&gt;/&lt;account&gt;.json</c> for every account, replacing a different key.</summary>
    public void WriteCredentials(string networkDirectory, ILogger logger)
    {
        CreatePrivateDirectory(networkDirectory);
        foreach (var (account, key) in _keys)
        {
            string file = Path.Combine(networkDirectory, account + ".json");
            if (File.Exists(file) && TryReadKeyFile(file, account) is { } current)
            {
                bool same = current.PublicKey.Equals(key.PublicKey);
                current.Dispose();
                if (same) continue;
                logger.LogWarning("Replacing the NEAR CLI credentials of {AccountId} in {File}: the local chain uses another key", account, file);
            }
            WriteKeyFile(file, account, key);
        }
    }

    /// <summary>NEAR CLI's credential JSON: <c>{"account_id","public_key","private_key"}</c>.</summary>
    public static string CredentialJson(string accountId, Ed25519KeyPair key) => new JsonObject
    {
        ["account_id"] = accountId,
        ["public_key"] = key.PublicKey.ToString(),
        ["private_key"] = key.ExportSecretKey(),
    }.ToJsonString();

    private static Ed25519KeyPair ReadKeyFile(string file, string account) =>
        TryReadKeyFile(file, account) ?? throw new InvalidDataException($"{file} is not a valid key file for {account}.");

    private static Ed25519KeyPair? TryReadKeyFile(string file, string account)
    {
        try
        {
            var node = JsonNode.Parse(File.ReadAllText(file));
            string? secret = node?["private_key"]?.GetValue<string>() ?? node?["secret_key"]?.GetValue<string>();
            string? id = node?["account_id"]?.GetValue<string>();
            if (secret is null || (id is not null && id != account)) return null;
            return Ed25519KeyPair.ParseSecretKey(secret);
        }
        catch (Exception e) when (e is FormatException or System.Text.Json.JsonException or InvalidOperationException)
        {
            return null;
        }
    }

    private static void WriteKeyFile(string file, string account, Ed25519KeyPair key)
    {
        // Write then rename so a crash never leaves a truncated key behind; owner-only like NEAR CLI's own files.
        string temp = file + ".tmp";
        File.WriteAllText(temp, CredentialJson(account, key));
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(temp, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        File.Move(temp, file, overwrite: true);
    }

    private static void CreatePrivateDirectory(string directory)
    {
        if (OperatingSystem.IsWindows()) Directory.CreateDirectory(directory);
        else Directory.CreateDirectory(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }

    public void Dispose()
    {
        foreach (var key in _keys.Values) key.Dispose();
    }
}
