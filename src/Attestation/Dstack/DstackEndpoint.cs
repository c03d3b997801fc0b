namespace Keystore.Attestation.Dstack;

/// <summary>Where the dstack guest agent listens: a Unix socket path or an HTTP base URL.</summary>
public sealed record DstackEndpoint(string? SocketPath, Uri? HttpBase)
{
    public const string SimulatorVariable = "DSTACK_SIMULATOR_ENDPOINT";

    /// <summary>The guest agent's socket locations, legacy first (same order as the dstack SDKs).</summary>
    public static readonly string[] SocketPaths = ["/var/run/dstack.sock", "/run/dstack.sock", "/var/run/dstack/dstack.sock", "/run/dstack/dstack.sock"];

    public static DstackEndpoint Parse(string value) =>
        value.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || value.StartsWith("https://", StringComparison.OrdinalIgnoreCase)
            ? new DstackEndpoint(null, new Uri(value.TrimEnd('/') + "/"))
            : new DstackEndpoint(value, null);

    /// <summary><c>DSTACK_SIMULATOR_ENDPOINT</c> if set, else the first existing socket, else the first default path.</summary>
    public static DstackEndpoint Resolve(Func<string, string?>? getEnv = null, Func<string, bool>? exists = null)
    {
        getEnv ??= Environment.GetEnvironmentVariable;
        exists ??= File.Exists;
        if (getEnv(SimulatorVariable) is { Length: > 0 } sim) return Parse(sim);
        return new DstackEndpoint(SocketPaths.FirstOrDefault(exists) ?? SocketPaths[0], null);
    }

    public override string ToString() => SocketPath ?? HttpBase!.ToString();
}
