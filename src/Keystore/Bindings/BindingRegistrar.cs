using System.Threading.Channels;
using Keystore.Boot;
using Keystore.Caching;
using Keystore.Configuration;
using Keystore.Dao;
using Keystore.Near.Rpc;
using Microsoft.Extensions.Options;

namespace Keystore.Bindings;

/// <summary>
/// Publishes a derived address in the <c>chain-keys</c> registry when the account's owner asks for it,
/// through the DAO's <c>register_binding</c> signed with this worker's key (200 Tgas from the DAO's allowance,
/// which is why nobody else can start it). Runs in the background so a request never waits on NEAR; the key
/// endpoint reports the state. Only a DAO-registered worker can publish, so with other master-secret sources
/// the state is <c>Disabled</c>. States are remembered in a bounded cache: a forgotten one reads
/// <c>Unchecked</c> again and the next owner request re-checks the registry before sending anything.
/// </summary>
public sealed class BindingRegistrar(
    NearConnection near,
    WorkerContext worker,
    IOptions<KeystoreOptions> options,
    TimeProvider time,
    ILogger<BindingRegistrar> logger) : BackgroundService
{
    private static readonly TimeSpan StatusLifetime = TimeSpan.FromHours(1);

    private readonly Lock _gate = new();
    private readonly BoundedCache<(string Account, string Chain, uint Index), BindingStatus> _status =
        new(options.Value.Near.BindingStatusCapacity, StatusLifetime, time);
    private readonly BindingPublicationBudget _budget = new(
        options.Value.Near.BindingPublishesPerAccountPerHour, options.Value.Near.BindingPublishesPerHour,
        options.Value.Near.BindingStatusCapacity, time);
    private readonly Channel<BindingRequest> _queue = Channel.CreateBounded<BindingRequest>(
        new BoundedChannelOptions(10_000) { FullMode = BoundedChannelFullMode.DropWrite, SingleReader = true });
    private sealed record BindingRequest(string Account, string Chain, uint Index, string PublicKey, string Address);

    private bool Enabled => options.Value.Near.RegisterBindings && worker.IsRegistered;

    /// <summary>
    /// The chain-keys account, from the DAO configuration the register step read with the registration.
    /// </summary>
    private string? Registry => worker.Registration?.Config.ChainKeysContractId;

    /// <summary>The state as this instance knows it; never touches NEAR. For anyone's request.</summary>
    public BindingStatus Status(string account, string chain, uint index)
    {
        if (!Enabled) return new BindingStatus(BindingState.Disabled, null);
        return _status.TryGetValue((account, chain, index), out BindingStatus? status) ? status : new BindingStatus(BindingState.Unchecked, Registry);
    }

    /// <summary>
    /// Queues the binding if it is not registered or on its way; returns the current state. Only for a
    /// request authenticated by the account's owner: publishing spends the DAO's gas.
    /// </summary>
    public BindingStatus Request(string account, string chain, uint index, string publicKey, string address)
    {
        if (!Enabled) return new BindingStatus(BindingState.Disabled, null);
        var key = (account, chain, index);
        lock (_gate)
        {
            if (_status.TryGetValue(key, out BindingStatus? current) && current.State != BindingState.Failed)
                return current;
            if (_budget.TryTake(account) is { } reopens)
            {
                var near = options.Value.Near;
                return new BindingStatus(BindingState.Failed, Registry,
                    $"Publication budget used up (at most {near.BindingPublishesPerAccountPerHour} an hour for an account, " +
                    $"{near.BindingPublishesPerHour} for this keystore); ask again after {reopens.UtcDateTime:yyyy-MM-ddTHH:mm:ssZ}.");
            }
            var pending = new BindingStatus(BindingState.Pending, Registry);
            if (!_queue.Writer.TryWrite(new BindingRequest(account, chain, index, publicKey, address)))
                pending = new BindingStatus(BindingState.Failed, Registry, "Too many bindings waiting; ask again later.");
            _status.Set(key, pending);
            return pending;
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await foreach (BindingRequest request in _queue.Reader.ReadAllAsync(stoppingToken).ConfigureAwait(false))
        {
            var key = (request.Account, request.Chain, request.Index);
            _status.Set(key, await RegisterAsync(request, stoppingToken).ConfigureAwait(false));
        }
    }

    private async Task<BindingStatus> RegisterAsync(BindingRequest r, CancellationToken ct)
    {
        TeeDaoClient dao = near.Dao;
        string? registry = Registry;
        if (registry is null)
            return new BindingStatus(BindingState.Failed, null, $"{dao.ContractId} has no chain-keys contract configured.");
        try
        {
            if (await IsBoundAsync(registry, r, ct).ConfigureAwait(false))
                return new BindingStatus(BindingState.Registered, registry);

            ExecutionOutcome outcome = await dao.RegisterBindingAsync(worker.Sender,
                r.Account, r.Chain, r.Index, r.PublicKey, r.Address, ct).ConfigureAwait(false);
            logger.LogInformation("Binding {Account}/{Chain}/{Index} → {Address} registered in {Registry} ({TransactionHash}).",
                r.Account, r.Chain, r.Index, r.Address, registry, outcome.TransactionHash);
            return new BindingStatus(BindingState.Registered, registry);
        }
        catch (TransactionFailedException ex)
        {
            logger.LogWarning("Binding {Account}/{Chain}/{Index} refused: {Reason}", r.Account, r.Chain, r.Index, ex.FailureMessage);
            return new BindingStatus(BindingState.Failed, registry, ex.FailureMessage);
        }
        catch (Exception ex) when (NearFaults.IsFault(ex) || ex is FormatException)
        {
            logger.LogWarning("Binding {Account}/{Chain}/{Index} not sent: {Reason}", r.Account, r.Chain, r.Index, ex.Message);
            return new BindingStatus(BindingState.Failed, registry, ex.Message);
        }
    }

    private async Task<bool> IsBoundAsync(string registry, BindingRequest r, CancellationToken ct)
    {
        var args = new System.Text.Json.Nodes.JsonObject { ["account_id"] = r.Account, ["chain"] = r.Chain, ["index"] = r.Index };
        System.Text.Json.Nodes.JsonNode? binding = await near.Rpc.CallFunctionJsonAsync(registry, "get_binding", args.ToJsonString(), ct).ConfigureAwait(false);
        return binding?["address"]?.GetValue<string>() == r.Address;
    }
}
