using Keystore.MasterSecrets;

namespace Keystore.Boot.Steps;

/// <summary>Step 4: the master secret from the configured source; only then is the keystore ready.</summary>
public sealed class MasterSecretStep(IMasterSecretSource source, KeystoreState state, ILogger<MasterSecretStep> logger) : IBootStep
{
    public string Name => "master-secret";

    public string Detail => $"source '{source.Name}'";

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        MasterSecret secret = await source.LoadAsync(cancellationToken).ConfigureAwait(false);
        state.SetMasterSecret(secret, source.Name);
        logger.LogInformation("Master secret loaded from source {Source}; the keystore is ready.", source.Name);
    }
}
