namespace Keystore.LocalNear.Genesis;

/// <summary>
/// Configuration of the local chain, bound from the <c>LocalNear</c> section (appsettings.json, environment
/// variables such as <c>LocalNear__RpcUrl</c>, or <c>--LocalNear:RpcUrl=…</c> on the command line).
/// A leading <c>~</c> in the directory settings is the user's home directory.
/// </summary>
public sealed class LocalNearOptions
{
    public const string SectionName = "LocalNear";

    /// <summary>Where the JSON-RPC server listens. Port 0 binds a free port (tests); the bound URL is reported by the host.</summary>
    public string RpcUrl { get; set; } = "http://127.0.0.1:3030";

    public string ChainId { get; set; } = "localnet";

    /// <summary>
    /// Holds the generated account keys (<c>keys/&lt;account&gt;.json</c>) so a restart reuses them. The chain state
    /// itself lives in memory: every start is a fresh genesis with the same accounts and keys.
    /// </summary>
    public string DataDir { get; set; } = "~/.local-near";

    /// <summary>NEAR CLI credentials root; the keys are written to <c>&lt;CredentialsDir&gt;/&lt;ChainId&gt;/&lt;account&gt;.json</c>.</summary>
    public string CredentialsDir { get; set; } = "~/.near-credentials";

    public bool WriteCredentials { get; set; } = true;

    /// <summary>Optional genesis document (see <see cref="GenesisDocument"/>); without it <see cref="GenesisDocument.Default"/> is used.</summary>
    public string? GenesisFile { get; set; }

    public LocalMpcOptions Mpc { get; set; } = new();

    /// <summary>Nanoseconds the block timestamp advances per produced block.</summary>
    public ulong BlockIntervalNanos { get; set; } = 1_000_000_000;

    /// <summary>Expands a leading <c>~</c> to the home directory and makes the path absolute.</summary>
    public static string ExpandPath(string path)
    {
        if (path == "~" || path.StartsWith("~/", StringComparison.Ordinal))
            path = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), path.Length > 2 ? path[2..] : "");
        return Path.GetFullPath(path);
    }
}

/// <summary>The simulated MPC network behind the native signer contract.</summary>
public sealed class LocalMpcOptions
{
    /// <summary>
    /// The development master secret: SHA-256("local-near-mpc") reduced modulo the BLS12-381 group order r.
    /// Public and fixed so every local chain has the same MPC public key; never use it outside development.
    /// </summary>
    public const string DevMasterKeyHex = "4041e6278c85a79df6d926b9be8c9943167b5202500b10a9bfbabf4c7ebd7b98";

    /// <summary>32-byte big-endian hex scalar (canonical, non-zero).</summary>
    public string MasterKeyHex { get; set; } = DevMasterKeyHex;

    /// <summary>The CKD (BLS12-381) domain id the signer serves.</summary>
    public uint DomainId { get; set; } = 2;

    /// <summary>
    /// Fault injection for client retry tests (<c>LocalNear:Mpc:TimeoutFirstRequests</c>, default 0 = off): the signer
    /// fails its first N well-formed <c>request_app_private_key</c> calls the way NEAR's MPC contract fails a request the
    /// network did not answer within the yield timeout (<c>Smart contract panicked: Request has timed out.</c>), then
    /// answers normally. Requests it rejects for other reasons (deposit, domain, key) do not count.
    /// </summary>
    public int TimeoutFirstRequests { get; set; }
}
