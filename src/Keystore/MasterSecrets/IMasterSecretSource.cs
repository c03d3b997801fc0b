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

    Task<MasterSecret> LoadAsync(CancellationToken cancellationToken);
}

/// <summary>A source that cannot give a secret now; the message is safe to show on <c>/v1/ready</c>.</summary>
public sealed class MasterSecretUnavailableException(string message, bool retryable = true) : Exception(message)
{
    /// <summary>False when retrying cannot help (wrong configuration, refused environment).</summary>
    public bool Retryable { get; } = retryable;
}
