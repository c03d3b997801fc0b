namespace Keystore.Configuration;

/// <summary>The <c>Keystore</c> configuration section (appsettings, environment with <c>__</c>, command line).</summary>
public sealed class KeystoreOptions
{
    public const string Section = "Keystore";

    /// <summary>The NEP-413 <c>recipient</c> every signed request must name.</summary>
    public string ServiceName { get; set; } = "near-tee-keystore";

    /// <summary>Largest accepted request body; larger ones get 413 before anything is parsed.</summary>
    public long MaxBodyBytes { get; set; } = 256 * 1024;

    public MasterSecretOptions MasterSecret { get; set; } = new();

    public BitcoinOptions Bitcoin { get; set; } = new();

    public AuthOptions Auth { get; set; } = new();

    /// <summary>
    /// Offline owner map: NEAR account → its full-access public keys (<c>ed25519:&lt;base58&gt;</c>).
    /// <c>Keystore:Owners:alice.near:0 = ed25519:…</c>.
    /// </summary>
    public Dictionary<string, List<string>> Owners { get; set; } = new(StringComparer.Ordinal);
}

public sealed class MasterSecretOptions
{
    /// <summary>Which <see cref="MasterSecrets.IMasterSecretSource"/> gives the secret: <c>backup</c> or <c>dev</c>.</summary>
    public string Source { get; set; } = "dev";

    /// <summary>For <c>backup</c>: the 32-byte secret as 64 hex characters.</summary>
    public string? BackupHex { get; set; }

    /// <summary>For <c>backup</c>: a file holding the 64 hex characters (instead of <see cref="BackupHex"/>).</summary>
    public string? BackupFile { get; set; }

    /// <summary>For <c>dev</c>: where the generated development secret is kept.</summary>
    public string DevFile { get; set; } = ".keystore-dev/master-secret.hex";
}

public sealed class BitcoinOptions
{
    /// <summary><c>mainnet</c> (bc1p…), <c>testnet</c> (tb1p…) or <c>regtest</c> (bcrt1p…).</summary>
    public string Network { get; set; } = "mainnet";
}

public sealed class AuthOptions
{
    /// <summary>How far a request's <c>timestampMs</c> may be from the keystore's clock.</summary>
    public TimeSpan MaxClockSkew { get; set; } = TimeSpan.FromMinutes(5);
}
