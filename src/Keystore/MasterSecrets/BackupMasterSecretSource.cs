using System.Collections;
using System.Security.Cryptography;
using Keystore.Boot;
using Keystore.Configuration;
using Microsoft.Extensions.Options;

namespace Keystore.MasterSecrets;

/// <summary>
/// A 32-byte secret the user keeps themselves (configuration or a file). For users who want their own
/// backup of every key, and for recovery when the MPC network is out of reach.
/// </summary>
/// <remarks>
/// A <c>BackupHex</c> value is parsed once into a pinned buffer (wiped on <see cref="Dispose"/>) and then taken
/// out of everything that would keep the string for the life of the process: the configuration providers, the
/// bound options and the process's managed environment all read <see cref="ConsumedValue"/> afterwards. The
/// strings themselves are immutable and cannot be wiped (README: what memory wiping can and cannot do), which
/// is why <c>BackupFile</c> is the better way to give the secret.
/// </remarks>
public sealed class BackupMasterSecretSource(IOptions<KeystoreOptions> options, IOptionsMonitor<KeystoreOptions> monitor, IConfiguration configuration)
    : IMasterSecretSource, IDisposable
{
    public const string SourceName = "backup";

    /// <summary>What <c>Keystore:MasterSecret:BackupHex</c> reads once the secret has been taken out of it.</summary>
    public const string ConsumedValue = "(consumed)";

    private const string HexKey = KeystoreOptions.Section + ":MasterSecret:BackupHex";

    // A secret file holds 64 characters and perhaps a newline; anything this long is not one.
    private const int MaxFileBytes = 1024;
    private static ReadOnlySpan<byte> Utf8Bom => [0xef, 0xbb, 0xbf];

    private readonly byte[] _fromHex = GC.AllocateArray<byte>(MasterSecret.Length, pinned: true);
    private readonly Lock _gate = new();
    private bool _hasHexSecret;
    private bool _disposed;

    public string Name => SourceName;

    public async Task<MasterSecret> LoadAsync(CancellationToken cancellationToken)
    {
        MasterSecretOptions o = options.Value.MasterSecret;
        if (!string.IsNullOrEmpty(o.BackupHex))
            return FromConfiguredHex(o.BackupHex);

        return await FromFileAsync(o.BackupFile!, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Reads the file into a pinned buffer, unbuffered, and parses the hex from the bytes: the secret never
    /// becomes a string, which nothing could wipe.
    /// </summary>
    private static async Task<MasterSecret> FromFileAsync(string path, CancellationToken cancellationToken)
    {
        byte[] text = GC.AllocateArray<byte>(MaxFileBytes, pinned: true);
        byte[] bytes = GC.AllocateArray<byte>(MasterSecret.Length, pinned: true);
        try
        {
            int length = 0;
            await using (var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 0, FileOptions.Asynchronous))
            {
                int read;
                while (length < text.Length && (read = await stream.ReadAsync(text.AsMemory(length), cancellationToken).ConfigureAwait(false)) > 0)
                    length += read;
            }
            if (length == text.Length || !TryParse(text.AsSpan(0, length), bytes))
                throw new BootFailureException("The backup master secret is not 64 hexadecimal characters.", retryable: false);
            return new MasterSecret(bytes);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(text);
            CryptographicOperations.ZeroMemory(bytes);
        }
    }

    /// <summary>64 ASCII hex digits, optionally after a UTF-8 byte order mark and between ASCII whitespace.</summary>
    private static bool TryParse(ReadOnlySpan<byte> text, Span<byte> secret32)
    {
        if (text.StartsWith(Utf8Bom)) text = text[Utf8Bom.Length..];
        ReadOnlySpan<byte> hex = text.Trim(" \t\r\n\f\v"u8);
        if (!HexText.IsHex(hex, MasterSecret.Length)) return false;
        return Convert.FromHexString(hex, secret32, out _, out int written) == System.Buffers.OperationStatus.Done && written == MasterSecret.Length;
    }

    private MasterSecret FromConfiguredHex(string hex)
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (!_hasHexSecret)
            {
                if (hex == ConsumedValue)
                    throw new BootFailureException(
                        $"Keystore:MasterSecret:BackupHex holds no secret ('{ConsumedValue}' is what the keystore leaves there once it has read one).", retryable: false);
                if (!IsWellFormed(hex))
                    throw new BootFailureException("The backup master secret is not 64 hexadecimal characters.", retryable: false);
                Convert.FromHexString(hex, _fromHex, out _, out _);
                _hasHexSecret = true;
                RemoveHexFromConfiguration();
            }
            // Later loads (a boot retried) copy from the pinned buffer: the configuration no longer has the value.
            return new MasterSecret(_fromHex);
        }
    }

    private void RemoveHexFromConfiguration()
    {
        // Every provider (command line, environment, JSON, in-memory) gets the marker in place of the hex.
        configuration[HexKey] = ConsumedValue;
        // Options bound before now (the start-up validation's and ours) hold the string too; later binds read the marker.
        options.Value.MasterSecret.BackupHex = ConsumedValue;
        monitor.CurrentValue.MasterSecret.BackupHex = ConsumedValue;
        // Child processes would inherit it. (The kernel's copy in /proc/self/environ stays: see the README.)
        foreach (DictionaryEntry variable in Environment.GetEnvironmentVariables())
        {
            string name = (string)variable.Key;
            if (name.Replace("__", ":", StringComparison.Ordinal).EndsWith(HexKey, StringComparison.OrdinalIgnoreCase))
                Environment.SetEnvironmentVariable(name, null);
        }
    }

    public static bool IsWellFormed(string hex) => HexText.IsHex(hex, MasterSecret.Length);

    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed) return;
            CryptographicOperations.ZeroMemory(_fromHex);
            _disposed = true;
        }
    }

    public override string ToString() => "BackupMasterSecretSource([redacted])";
}
