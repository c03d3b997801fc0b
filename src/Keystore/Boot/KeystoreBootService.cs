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
/// worker), master secret, state (the sealed store). Each step is retried with capped exponential backoff and jitter until it
/// succeeds or cannot (a configuration error, a definite NEAR answer such as an unknown DAO account): then
/// it stays failed and the boot stops there. <c>/v1/ready</c> shows every step and its last error.
/// Nothing is signed before the master secret is in <see cref="KeystoreState"/>.
/// </summary>
public sealed class KeystoreBootService(
    IServiceProvider services,
    IEnumerable<IMasterSecretSource> sources,
    IEnumerable<ITeeBackend> backends,
    IOptions<KeystoreOptions> options,
    KeystoreState state,
    IHostApplicationLifetime lifetime,
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
        steps.Add(ActivatorUtilities.CreateInstance<State.StateStoreStep>(services));
        steps.Add(ActivatorUtilities.CreateInstance<Audit.AuditAnchorStep>(services));
        return steps;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        foreach (string warning in DeploymentTrustWarnings.For(options.Value))
            logger.LogWarning("{Warning}", warning);
        IReadOnlyList<IBootStep> steps = PlanSteps();
        foreach (IBootStep step in steps)
            state.Report(step.Name, BootStepState.Pending, step.Detail);

        // The steps start once the host has (the server listening): the backup source takes its secret out of the
        // configuration, whose providers are plain dictionaries that Kestrel enumerates while it binds; a write then made
        // the start fail now and again ("Collection was modified").
        if (!await StartedAsync(stoppingToken).ConfigureAwait(false))
            return;

        foreach (IBootStep step in steps)
        {
            if (!await RunWithRetryAsync(step, stoppingToken).ConfigureAwait(false))
                return;
        }
    }

    private async Task<bool> StartedAsync(CancellationToken stoppingToken)
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using CancellationTokenRegistration registration = lifetime.ApplicationStarted.Register(() => started.TrySetResult());
        try
        {
            await started.Task.WaitAsync(stoppingToken).ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            return false;
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
            catch (Exception ex) when (AsBootFailure(ex) is { } failure)
            {
                state.Report(step.Name, BootStepState.Failed, step.Detail, failure.Message);
                if (!failure.Retryable)
                {
                    logger.LogError("Boot step {Step} failed and cannot succeed by retrying: {Reason}", step.Name, failure.Message);
                    return false;
                }
                logger.LogWarning("Boot step {Step} failed, retrying in {Backoff}: {Reason}", step.Name, backoff, failure.Message);
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

    /// <summary>
    /// What a step's failure means for the boot, decided here once: a step's own verdict as it is; NEAR faults as
    /// <see cref="NearFaults"/> classifies them (a definite answer such as an unknown DAO account is not retried);
    /// I/O that may fail for a while (files, HTTP) and answers this keystore does not read retried. Anything else is a bug
    /// and ends the boot service.
    /// </summary>
    internal static BootFailureException? AsBootFailure(Exception ex) => ex switch
    {
        OperationCanceledException => null,
        BootFailureException failure => failure,
        _ when NearFaults.IsTransient(ex) => new BootFailureException($"NEAR RPC: {ex.Message}", retryable: true, ex),
        _ when NearFaults.IsDefinite(ex) => new BootFailureException($"NEAR RPC: {ex.Message}", retryable: false, ex),
        IOException or UnauthorizedAccessException or TimeoutException => new BootFailureException(ex.Message, retryable: true, ex),
        // An answer (from NEAR, through an endpoint that is not trusted) this keystore does not read: shown, and asked again.
        FormatException => new BootFailureException($"NEAR: {ex.Message}", retryable: true, ex),
        _ => null,
    };
}
