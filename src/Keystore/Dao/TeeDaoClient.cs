using System.Text.Json.Nodes;
using Keystore.Attestation.Collateral;
using Keystore.Near.Keys;
using Keystore.Near.Rpc;

namespace Keystore.Dao;

/// <summary>Typed calls to the <c>tee-dao</c> contract (see contracts/README.md for each method's rules).</summary>
public sealed class TeeDaoClient(NearRpcClient rpc, string daoContractId)
{
    /// <summary>register_worker_key runs a full on-chain DCAP verification (≈ 72 Tgas); give it the maximum.</summary>
    public const ulong RegisterGas = 300_000_000_000_000;

    /// <summary>register_binding crosses DAO → chain-keys → DAO.get_worker → callbacks.</summary>
    public const ulong BindingGas = 200_000_000_000_000;

    /// <summary>worker_heartbeat reads and rewrites one worker record.</summary>
    public const ulong HeartbeatGas = 10_000_000_000_000;

    public string ContractId => daoContractId;

    /// <summary>The worker's status at the latest final block, with that block's height.</summary>
    /// <exception cref="FormatException">The DAO answered something this keystore does not know.</exception>
    public async Task<DaoWorkerStatus> GetWorkerStatusAsync(Ed25519PublicKey worker, CancellationToken ct)
    {
        FunctionView view = await rpc.ViewFunctionAsync(daoContractId, "get_worker_status",
            new JsonObject { ["public_key"] = worker.ToString() }.ToJsonString(), ct).ConfigureAwait(false);
        return Answer($"{daoContractId}.get_worker_status", () => WorkerStatus(view));
    }

    private DaoWorkerStatus WorkerStatus(FunctionView view)
    {
        JsonNode? answer = view.Result.Length == 0 ? null : JsonNode.Parse(view.Result);
        string? status = answer?["status"]?.GetValue<string>();
        DaoWorkerState state = status switch
        {
            "registered" => DaoWorkerState.Registered,
            "revoked" => DaoWorkerState.Revoked,
            "unknown" => DaoWorkerState.UnknownWorker,
            _ => throw new FormatException($"{daoContractId}.get_worker_status returned an unknown status '{status}'."),
        };
        WorkerTcb? tcb = answer?["tcb_status"]?.GetValue<string>() is { } tcbStatus
            ? new WorkerTcb(tcbStatus,
                answer["advisory_ids"] is JsonArray ids ? ids.Select(i => i!.GetValue<string>()).ToArray() : [],
                answer["tcb"]?.GetValue<string>() ?? "accepted",
                BlockTime(answer["tcb_grace_until_ns"]))
            : null;
        return new DaoWorkerStatus(state, view.BlockHeight, BlockTime(answer?["last_seen_ns"]), BlockTime(answer?["idle_deadline_ns"])) { Tcb = tcb };

        static DateTimeOffset? BlockTime(JsonNode? ns) => ns is null ? null
            : DateTimeOffset.UnixEpoch + TimeSpan.FromTicks((long)Math.Min(ns.GetValue<ulong>() / 100, (ulong)(DateTimeOffset.MaxValue - DateTimeOffset.UnixEpoch).Ticks));
    }

    /// <summary>Marks the worker seen, so the DAO does not prune it as idle; sent with the worker's own key.</summary>
    public Task<ExecutionOutcome> HeartbeatAsync(TransactionSender worker, CancellationToken ct) =>
        worker.FunctionCallAsync(daoContractId, "worker_heartbeat", "{}", HeartbeatGas, 0, ct);

    public async Task<DaoConfig> GetConfigAsync(CancellationToken ct)
    {
        JsonNode config = await rpc.CallFunctionJsonAsync(daoContractId, "get_config", "{}", ct).ConfigureAwait(false)
            ?? throw new FormatException($"{daoContractId}.get_config returned nothing.");
        return Answer($"{daoContractId}.get_config", () => new DaoConfig(
            config["mpc_contract_id"]?.GetValue<string>() ?? throw new FormatException("get_config: mpc_contract_id missing"),
            config["ckd_domain_id"]?.GetValue<int>() ?? throw new FormatException("get_config: ckd_domain_id missing"),
            config["ckd_path"]?.GetValue<string>() ?? throw new FormatException("get_config: ckd_path missing"),
            config["chain_keys_contract_id"]?.GetValue<string>()));
    }

    /// <summary>
    /// Reads a DAO answer, which comes through an RPC endpoint that is not trusted to shape it right: a field of the wrong
    /// type or out of range is the same <see cref="FormatException"/> as an unknown value, not an exception taken for a bug.
    /// </summary>
    private static T Answer<T>(string what, Func<T> read)
    {
        try
        {
            return read();
        }
        catch (Exception e) when (MalformedAnswer.IsShapeError(e))
        {
            throw new FormatException($"{what} returned something this keystore does not read ({e.GetType().Name}).", e);
        }
    }

    /// <summary>
    /// The arguments of <c>register_worker_key</c>, as an operator would pass them to NEAR CLI. <paramref name="appCompose"/>
    /// is the app-compose document exactly as dstack hashed it: the DAO checks its sha256 against the <c>compose-hash</c> event.
    /// </summary>
    public static JsonObject RegistrationArgs(Ed25519PublicKey worker, byte[] quote, QuoteCollateralV3 collateral, string eventLogJson,
        string appCompose)
    {
        return new JsonObject
        {
            ["public_key"] = worker.ToString(),
            ["quote_hex"] = Convert.ToHexStringLower(quote),
            ["collateral"] = JsonNode.Parse(collateral.ToJson()),
            ["event_log"] = JsonNode.Parse(eventLogJson),
            ["app_compose"] = appCompose,
        };
    }

    /// <summary>Sent by any funded account: the contract binds the worker by the quote's report data, not by the sender.</summary>
    public Task<ExecutionOutcome> RegisterWorkerKeyAsync(TransactionSender registrar, JsonObject registrationArgs, CancellationToken ct) =>
        registrar.FunctionCallAsync(daoContractId, "register_worker_key", registrationArgs.ToJsonString(), RegisterGas, 0, ct);

    /// <summary>Sent with the worker's own function-call key on the DAO account.</summary>
    public Task<ExecutionOutcome> RegisterBindingAsync(TransactionSender worker, string accountId, string chain, uint index,
        string publicKey, string address, CancellationToken ct) =>
        worker.FunctionCallAsync(daoContractId, "register_binding", new JsonObject
        {
            ["account_id"] = accountId,
            ["chain"] = chain,
            ["index"] = index,
            ["public_key"] = publicKey,
            ["address"] = address,
        }.ToJsonString(), BindingGas, 0, ct);
}
