using System.Security.Cryptography;
using Keystore.Boot;
using Keystore.Configuration;
using Keystore.Tee;
using Microsoft.Extensions.Options;

namespace Keystore.MasterSecrets;

/// <summary>
/// Development only: a random secret generated once into a local file (owner-only permissions) and
/// read back on later starts. Refused inside a real TEE, where a secret on disk would defeat the point.
/// </summary>
public sealed class DevMasterSecretSource(IOptions<KeystoreOptions> options, ITeeDetector tee, ILogger<DevMasterSecretSource> logger)
    : IMasterSecretSource
{
    public const string SourceName = "dev";

    public string Name => SourceName;

    public async Task<MasterSecret> LoadAsync(CancellationToken cancellationToken)
    {
        if (tee.IsRealTeePresent)
            throw new BootFailureException(
                "The 'dev' master secret is refused inside a real TEE; use 'ckd' (or 'backup').", retryable: false);

        string path = Path.GetFullPath(options.Value.MasterSecret.DevFile);
        if (!File.Exists(path))
            await CreateAsync(path, cancellationToken).ConfigureAwait(false);

        string hex = (await File.ReadAllTextAsync(path, cancellationToken).ConfigureAwait(false)).Trim();
        if (!BackupMasterSecretSource.IsWellFormed(hex))
            throw new BootFailureException($"The development secret file '{path}' is corrupt (not 64 hex characters).", retryable: false);
        byte[] bytes = GC.AllocateArray<byte>(MasterSecret.Length, pinned: true);
        try
        {
            Convert.FromHexString(hex, bytes, out _, out _);
            logger.LogWarning("Using the DEVELOPMENT master secret from {Path}: keys are only as safe as that file.", path);
            return new MasterSecret(bytes);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(bytes);
        }
    }

    private async Task CreateAsync(string path, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        byte[] secret = GC.AllocateArray<byte>(MasterSecret.Length, pinned: true);
        RandomNumberGenerator.Fill(secret);
        try
        {
            var fileOptions = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows())
                fileOptions.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            await using var stream = new FileStream(path, fileOptions);
            await using var writer = new StreamWriter(stream);
            await writer.WriteAsync(Convert.ToHexStringLower(secret).AsMemory(), cancellationToken).ConfigureAwait(false);
            logger.LogWarning("Generated a new DEVELOPMENT master secret at {Path}.", path);
        }
        catch (IOException) when (File.Exists(path))
        {
            // Another instance created it first; use theirs.
        }
        finally
        {
            CryptographicOperations.ZeroMemory(secret);
        }
    }
}
