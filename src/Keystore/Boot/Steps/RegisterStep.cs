using System.Text.Json.Nodes;
using Keystore.Configuration;
using Keystore.Dao;
using Keystore.Near.Keys;
using Keystore.Near.Rpc;

namespace Keystore.Boot.Steps;

/// <summary>
/// Step 3: the DAO registers this worker (on-chain DCAP, report-data binding, RTMR3 replay, approved
/// measurements) and adds its key to the DAO account. Sent by the configured registrar account;
/// without one, waits for an operator and shows the NEAR CLI command to run.
/// </summary>
public sealed class RegisterStep(NearConnection near, WorkerContext worker, ILogger<RegisterStep> logger) : IBootStep
{
    public string Name => "register";

    public string Detail => $"tee-dao '{near.Options.DaoContractId}'";

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        WorkerAttestation attestation = worker.Attestation
            ?? throw new BootStepException("No attestation yet.", retryable: true);
        var dao = new TeeDaoClient(near.Rpc, near.DaoContractId);
        Ed25519PublicKey key = worker.Identity.PublicKey;

        if (await IsRegisteredAsync(dao, key, cancellationToken).ConfigureAwait(false))
        {
            worker.MarkRegistered();
            logger.LogInformation("Worker {WorkerPublicKey} is registered with {Dao}.", key, dao.ContractId);
            return;
        }

        NearOptions options = near.Options;
        if (options.RegistrarAccountId is null || options.RegistrarCredentialsFile is null)
            throw new BootStepWaitingException(
                $"awaiting registration of worker {key} with {dao.ContractId}: an operator sends the arguments of " +
                $"GET /v1/attestation/registration, e.g. near contract call-function as-transaction {dao.ContractId} register_worker_key " +
                $"file-args registration.json prepaid-gas '300 Tgas' attached-deposit '0 NEAR' sign-as <operator-account> " +
                $"network-config {options.NetworkId} sign-with-keychain send",
                options.RegistrationPollInterval);

        JsonObject args = TeeDaoClient.RegistrationArgs(key, attestation.Quote, attestation.Collateral, attestation.EventLogJson);
        using Ed25519KeyPair registrarKey = LoadRegistrarKey(options);
        var registrar = new TransactionSender(near.Rpc, options.RegistrarAccountId, registrarKey);
        try
        {
            ExecutionOutcome outcome = await dao.RegisterWorkerKeyAsync(registrar, args, cancellationToken).ConfigureAwait(false);
            logger.LogInformation("register_worker_key for {WorkerPublicKey} landed in {TransactionHash}.", key, outcome.TransactionHash);
        }
        catch (TransactionFailedException ex)
        {
            // The DAO's reason (unapproved measurements, expired collateral, …) is public contract output.
            throw new BootStepException($"{dao.ContractId} refused the registration: {ex.FailureMessage}", retryable: true, ex);
        }

        if (!await IsRegisteredAsync(dao, key, cancellationToken).ConfigureAwait(false))
            throw new BootStepException($"register_worker_key succeeded but {dao.ContractId} does not list the worker.", retryable: true);
        worker.MarkRegistered();
    }

    private static async Task<bool> IsRegisteredAsync(TeeDaoClient dao, Ed25519PublicKey key, CancellationToken ct)
    {
        try
        {
            return await dao.IsRegisteredWorkerAsync(key, ct).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is NearRpcException or NearTransportException or HttpRequestException)
        {
            throw new BootStepException($"NEAR RPC: {ex.Message}", retryable: true, ex);
        }
    }

    private static Ed25519KeyPair LoadRegistrarKey(NearOptions options)
    {
        try
        {
            return RegistrarCredentials.Load(options.RegistrarCredentialsFile!, options.RegistrarAccountId!);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException or System.Text.Json.JsonException)
        {
            throw new BootStepException($"Registrar credentials: {ex.Message}", retryable: false, ex);
        }
    }
}
