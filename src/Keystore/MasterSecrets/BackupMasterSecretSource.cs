using System.Security.Cryptography;
using Keystore.Configuration;
using Microsoft.Extensions.Options;

namespace Keystore.MasterSecrets;

/// <summary>
/// A 32-byte secret the user keeps themselves (configuration or a file). For users who want their own
/// backup of every key, and for recovery when the MPC network is out of reach.
/// </summary>
public sealed class BackupMasterSecretSource(IOptions<KeystoreOptions> options) : IMasterSecretSource
{
    public const string SourceName = "backup";

    public string Name => SourceName;

    public async Task<MasterSecret> LoadAsync(CancellationToken cancellationToken)
    {
        MasterSecretOptions o = options.Value.MasterSecret;
        string hex = !string.IsNullOrEmpty(o.BackupHex)
            ? o.BackupHex
            : (await File.ReadAllTextAsync(o.BackupFile!, cancellationToken).ConfigureAwait(false)).Trim();
        if (!IsWellFormed(hex))
            throw new MasterSecretUnavailableException("The backup master secret is not 64 hexadecimal characters.", retryable: false);
        byte[] bytes = GC.AllocateArray<byte>(MasterSecret.Length, pinned: true);
        try
        {
            Convert.FromHexString(hex, bytes, out _, out _);
            return new MasterSecret(bytes);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(bytes);
        }
    }

    public static bool IsWellFormed(string hex) => hex.Length == 64 && hex.All(char.IsAsciiHexDigit);
}
