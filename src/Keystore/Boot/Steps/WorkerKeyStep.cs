namespace Keystore.Boot.Steps;

/// <summary>Step 1: the fresh in-memory worker key exists (the context creates it once per process).</summary>
public sealed class WorkerKeyStep(WorkerContext worker, ILogger<WorkerKeyStep> logger) : IBootStep
{
    public string Name => "worker-key";

    public string Detail => "fresh ed25519 key, memory only";

    public Task RunAsync(CancellationToken cancellationToken)
    {
        logger.LogInformation("Worker key {WorkerPublicKey} created for this boot.", worker.Identity.NearPublicKeyText);
        return Task.CompletedTask;
    }
}
