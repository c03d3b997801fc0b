namespace Keystore.MasterSecrets;

/// <summary>
/// Where the master secret comes from on boot. Implementations are registered side by side and one
/// is chosen by <c>Keystore:MasterSecret:Source</c>, so deployments and tests swap sources by
/// configuration. A source either returns the very same secret every time or fails loudly: it
/// never falls back to another source.
/// </summary>
public interface IMasterSecretSource
{
    /// <summary>The configuration name: <c>backup</c>, <c>dev</c>, <c>ckd</c>.</summary>
    string Name { get; }

    /// <summary>True when the source acts as a DAO-registered worker (the boot sequence registers first).</summary>
    bool RequiresRegisteredWorker => false;

    /// <exception cref="Boot.BootFailureException">No secret now; the message says why and whether retrying can help.</exception>
    Task<MasterSecret> LoadAsync(CancellationToken cancellationToken);
}
