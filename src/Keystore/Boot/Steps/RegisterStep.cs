using System.Text.Json.Nodes;
using Keystore.Configuration;
using Keystore.Dao;
using Keystore.Near.Keys;
using Keystore.Near.Rpc;

namespace Keystore.Boot.Steps;

/// <summary>
/// Step 3: the DAO registers this worker (on-chain DCAP, report-data binding, RTMR3 replay with every event
/// digest checked, approved OS measurement set, the app-compose document matching the approved compose hash)
/// and adds its key to the DAO account. Sent by the configured registrar account;
/// without one, waits for an operator and shows the NEAR CLI command to run.
/// </summary>
public sealed class RegisterStep(NearConnection near, WorkerContext worker, ILogger<RegisterStep> logger) : IBootStep
{
    public const string StepName = "register";

    public string Name => StepName;

    public string Detail => $"tee-dao '{near.Options.DaoContractId}'";

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        WorkerAttestation attestation = worker.Attestation
            ?? throw new BootFailureException("No attestation yet.", retryable: true);
        TeeDaoClient dao = near.Dao;
        Ed25519PublicKey key = worker.Identity.PublicKey;

        DaoWorkerStatus status = await dao.GetWorkerStatusAsync(key, cancellationToken).ConfigureAwait(false);
        if (status.State == DaoWorkerState.Registered)
        {
            await MarkRegisteredAsync(dao, status, cancellationToken).ConfigureAwait(false);
            logger.LogInformation("Worker {WorkerPublicKey} is registered with {Dao}.", key, dao.ContractId);
            return;
        }

        NearOptions options = near.Options;
        JsonObject args = TeeDaoClient.RegistrationArgs(key, attestation.Quote, attestation.Collateral, attestation.EventLogJson,
            attestation.AppCompose);
        if (options.RegistrarAccountId is not null && options.RegistrarCredentialsFile is not null)
        {
            using Ed25519KeyPair registrarKey = LoadRegistrarKey(options);
            await SendAsync(dao, new TransactionSender(near.Rpc, options.RegistrarAccountId, registrarKey), args, cancellationToken).ConfigureAwait(false);
        }
        else if (await IsFundedAsync(ImplicitAccountId, cancellationToken).ConfigureAwait(false))
        {
            // An operator funded the worker's implicit account: the worker pays for its own registration.
            await SendAsync(dao, new TransactionSender(near.Rpc, ImplicitAccountId, worker.Identity.KeyPair), args, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            throw new BootStepWaitingException(
                $"awaiting registration of worker {key} with {dao.ContractId}: an operator sends the arguments of " +
                $"GET /v1/attestation/registration, e.g. near contract call-function as-transaction {dao.ContractId} register_worker_key " +
                $"file-args registration.json prepaid-gas '300 Tgas' attached-deposit '0 NEAR' sign-as <operator-account> " +
                $"network-config {options.NetworkId} sign-with-keychain send; or funds the worker's implicit account " +
                $"{ImplicitAccountId} with at least {MinimumImplicitBalanceNear} NEAR and the worker registers itself",
                options.RegistrationPollInterval);
        }

        status = await dao.GetWorkerStatusAsync(key, cancellationToken).ConfigureAwait(false);
        if (status.State != DaoWorkerState.Registered)
            throw new BootFailureException($"register_worker_key succeeded but {dao.ContractId} does not list the worker.", retryable: true);
        await MarkRegisteredAsync(dao, status, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The registration, with the DAO configuration the later steps and the binding registrar work from.</summary>
    private async Task MarkRegisteredAsync(TeeDaoClient dao, DaoWorkerStatus status, CancellationToken cancellationToken)
    {
        DaoConfig config;
        try
        {
            config = await dao.GetConfigAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (FormatException ex)
        {
            // The DAO answered something this keystore does not read: perhaps a contract upgrade under way.
            throw new BootFailureException($"NEAR: {ex.Message}", retryable: true, ex);
        }
        worker.MarkRegistered(new DaoRegistration(status.BlockHeight, config));
        worker.UpdateTcb(status.Tcb);
    }

    /// <summary>Enough for one registration at 300 Tgas (0.03 NEAR at the minimum gas price) with room for price rises.</summary>
    public const decimal MinimumImplicitBalanceNear = 0.1m;

    private static readonly UInt128 MinimumImplicitBalance = UInt128.Parse("100000000000000000000000");

    /// <summary>The worker key's NEAR implicit account: 64 lowercase hex characters.</summary>
    private string ImplicitAccountId => Convert.ToHexStringLower(worker.Identity.PublicKey.Bytes.Span);

    private async Task<bool> IsFundedAsync(string account, CancellationToken ct)
    {
        try
        {
            return (await near.Rpc.ViewAccountAsync(account, ct).ConfigureAwait(false)).Amount >= MinimumImplicitBalance;
        }
        catch (UnknownAccountException)
        {
            return false;
        }
    }

    private async Task SendAsync(TeeDaoClient dao, TransactionSender registrar, JsonObject args, CancellationToken cancellationToken)
    {
        Ed25519PublicKey key = worker.Identity.PublicKey;
        try
        {
            ExecutionOutcome outcome = await dao.RegisterWorkerKeyAsync(registrar, args, cancellationToken).ConfigureAwait(false);
            logger.LogInformation("register_worker_key for {WorkerPublicKey} landed in {TransactionHash}.", key, outcome.TransactionHash);
        }
        catch (TransactionFailedException ex)
        {
            // The DAO's reason (unapproved measurements, expired collateral, …) is public contract output.
            throw new BootFailureException($"{dao.ContractId} refused the registration: {ex.FailureMessage}", retryable: true, ex);
        }
    }

    private static Ed25519KeyPair LoadRegistrarKey(NearOptions options)
    {
        try
        {
            return NearCliCredentials.Load(options.RegistrarCredentialsFile!, options.RegistrarAccountId!);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException or System.Text.Json.JsonException)
        {
            throw new BootFailureException($"Registrar credentials: {ex.Message}", retryable: false, ex);
        }
    }
}
