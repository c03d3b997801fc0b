using Keystore.Boot.Steps;
using Keystore.Configuration;
using Keystore.Dao;
using Keystore.MasterSecrets;
using Keystore.Tee;
using Microsoft.Extensions.Options;

namespace Keystore.Boot;

/// <summary>
/// Runs the boot sequence in the background so health checks answer at once: worker key, attest
/// (unless the TEE is <c>none</c>), register (when the master-secret source needs a registered
/// worker), master secret. Each step is retried with capped exponential backoff and jitter until it
/// succeeds or cannot (a configuration error); <c>/v1/ready</c> shows every step and its last error.
/// Nothing is signed before the master secret is in <see cref="KeystoreState"/>.
/// </summary>
public sealed class KeystoreBootService(
    IServiceProvider services,
    IEnumerable<IMasterSecretSource> sources,
    IEnumerable<ITeeBackend> backends,
    IOptions<KeystoreOptions> options,
    KeystoreState state,
    ILogger<KeystoreBootService> logger) : BackgroundService
{
    private static readonly TimeSpan FirstBackoff = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(30);

    /// <summary>The steps this configuration runs, in order (the options validator has checked the names).</summary>
    public IReadOnlyList<IBootStep> PlanSteps()
    {
        KeystoreOptions o = options.Value;
        IMasterSecretSource source = sources.Single(s => s.Name == o.MasterSecret.Source);
        var steps = new List<IBootStep> { ActivatorUtilities.CreateInstance<WorkerKeyStep>(services) };
        if (o.Tee.Provider != TeeBackendRegistration.None)
            steps.Add(ActivatorUtilities.CreateInstance<AttestStep>(services, backends.Single(b => b.Name == o.Tee.Provider)));
        if (source.RequiresRegisteredWorker)
            steps.Add(ActivatorUtilities.CreateInstance<RegisterStep>(services));
        steps.Add(ActivatorUtilities.CreateInstance<Steps.MasterSecretStep>(services, source));
        return steps;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        IReadOnlyList<IBootStep> steps = PlanSteps();
        foreach (IBootStep step in steps)
            state.Report(step.Name, BootStepState.Pending, step.Detail);

        foreach (IBootStep step in steps)
        {
            if (!await RunWithRetryAsync(step, stoppingToken).ConfigureAwait(false))
                return;
        }
    }

    private async Task<bool> RunWithRetryAsync(IBootStep step, CancellationToken stoppingToken)
    {
        TimeSpan backoff = FirstBackoff;
        while (!stoppingToken.IsCancellationRequested)
        {
            state.Report(step.Name, BootStepState.Running, step.Detail);
            TimeSpan delay;
            try
            {
                await step.RunAsync(stoppingToken).ConfigureAwait(false);
                state.Report(step.Name, BootStepState.Done, step.Detail);
                return true;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return false;
            }
            catch (BootStepWaitingException ex)
            {
                state.Report(step.Name, BootStepState.Waiting, step.Detail, ex.Message);
                logger.LogInformation("Boot step {Step} waits: {Reason}", step.Name, ex.Message);
                delay = ex.PollInterval;
            }
            catch (BootStepException ex)
            {
                state.Report(step.Name, BootStepState.Failed, step.Detail, ex.Message);
                if (!ex.Retryable)
                {
                    logger.LogError("Boot step {Step} failed and cannot succeed by retrying: {Reason}", step.Name, ex.Message);
                    return false;
                }
                logger.LogWarning("Boot step {Step} failed, retrying in {Backoff}: {Reason}", step.Name, backoff, ex.Message);
                delay = backoff;
                backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, MaxBackoff.Ticks));
            }
            catch (Exception ex) when (IsTransient(ex))
            {
                // Every step's I/O (files, HTTP, NEAR RPC) may fail for a while; the step is simply tried again.
                string reason = NearFaults.IsTransient(ex) ? $"NEAR RPC: {ex.Message}" : ex.Message;
                state.Report(step.Name, BootStepState.Failed, step.Detail, reason);
                logger.LogWarning("Boot step {Step} failed, retrying in {Backoff}: {Reason}", step.Name, backoff, reason);
                delay = backoff;
                backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, MaxBackoff.Ticks));
            }

            try
            {
                await Task.Delay(delay + TimeSpan.FromMilliseconds(Random.Shared.Next(0, 250)), stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return false;
            }
        }
        return false;
    }

    private static bool IsTransient(Exception ex) =>
        NearFaults.IsTransient(ex) || ex is IOException or UnauthorizedAccessException or TimeoutException;
}
