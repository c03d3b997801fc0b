namespace Keystore.LocalNetwork.Cli;

/// <summary>The <c>LocalNetwork</c> settings: which chain to bootstrap, with whose keys, from which contract build.</summary>
public sealed class LocalNetworkOptions
{
    public const string SectionName = "LocalNetwork";

    /// <summary>The local chain's JSON-RPC.</summary>
    public Uri RpcUrl { get; set; } = new("http://127.0.0.1:3030");

    /// <summary>
    /// NEAR CLI credentials the local chain wrote (its <c>LocalNear:CredentialsDir</c>): the keys are read from
    /// <c>&lt;dir&gt;/&lt;chain id&gt;/&lt;account&gt;.json</c>, the chain id being what the chain's <c>status</c> reports.
    /// </summary>
    public string CredentialsDir { get; set; } = "~/.near-credentials";

    /// <summary>Folder with <c>tee_dao.wasm</c> and <c>chain_keys.wasm</c> (contracts/build.sh writes contracts/out).</summary>
    public string? WasmDir { get; set; }

    /// <summary>How long to wait for the chain's RPC to answer, so this can start right after the chain.</summary>
    public TimeSpan ChainWaitTimeout { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Expands a leading <c>~</c> to the home directory and makes the path absolute.</summary>
    public static string ExpandPath(string path)
    {
        if (path == "~" || path.StartsWith("~/", StringComparison.Ordinal))
            path = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), path.Length > 2 ? path[2..] : "");
        return Path.GetFullPath(path);
    }
}
