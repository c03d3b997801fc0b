using Keystore.Configuration;
using Keystore.MasterSecrets;
using Microsoft.Extensions.Options;

namespace Keystore.Boot;

/// <summary>
/// Runs the boot sequence in the background so health checks answer at once, and retries each step
/// with capped exponential backoff until it succeeds or cannot (a configuration error). Nothing is
/// signed before the master secret is in <see cref="KeystoreState"/>.
/// </summary>
public sealed class KeystoreBootService(
    IEnumerable<IMasterSecretSource> sources,
    IOptions<KeystoreOptions> options,
    KeystoreState state,
    ILogger<KeystoreBootService> logger) : BackgroundService
{
    public const string MasterSecretStep = "master-secret";

    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(30);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        string sourceName = options.Value.MasterSecret.Source;
        // The options validator has already rejected unknown names at startup.
        IMasterSecretSource source = sources.Single(s => s.Name == sourceName);
        state.Report(MasterSecretStep, BootStepState.Pending, $"source '{source.Name}'");

        TimeSpan backoff = TimeSpan.FromMilliseconds(500);
        while (!stoppingToken.IsCancellationRequested)
        {
            state.Report(MasterSecretStep, BootStepState.Running, $"source '{source.Name}'");
            try
            {
                MasterSecret secret = await source.LoadAsync(stoppingToken).ConfigureAwait(false);
                state.SetMasterSecret(secret, source.Name);
                state.Report(MasterSecretStep, BootStepState.Done, $"source '{source.Name}'");
                logger.LogInformation("Master secret loaded from source {Source}; the keystore is ready.", source.Name);
                return;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (MasterSecretUnavailableException ex)
            {
                state.Report(MasterSecretStep, BootStepState.Failed, $"source '{source.Name}'", ex.Message);
                logger.LogError("Master secret source {Source} failed: {Reason}", source.Name, ex.Message);
                if (!ex.Retryable) return;
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or HttpRequestException or TimeoutException)
            {
                state.Report(MasterSecretStep, BootStepState.Failed, $"source '{source.Name}'", ex.Message);
                logger.LogWarning("Master secret source {Source} failed, retrying in {Backoff}: {Reason}", source.Name, backoff, ex.Message);
            }

            await Task.Delay(backoff + TimeSpan.FromMilliseconds(Random.Shared.Next(0, 250)), stoppingToken).ConfigureAwait(false);
            backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, MaxBackoff.Ticks));
        }
    }
}
