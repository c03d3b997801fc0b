using System.Text.Json.Nodes;
using Keystore.Attestation.EventLog;
using Keystore.Attestation.Quotes;
using Keystore.Attestation.Simulator;
using Keystore.Near.Keys;
using Keystore.Near.Rpc;
using Keystore.Near.Transactions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Keystore.LocalNetwork.Bootstrap;

/// <summary>
/// Brings a chain to where the keystore can boot on it, with ordinary signed transactions over
/// JSON-RPC exactly as an operator would with NEAR CLI: deploy and initialise <c>tee-dao</c> (pinning
/// the simulator's root CA) and <c>chain-keys</c>, then have the council propose and vote the
/// simulator's OS measurement set and compose hash in (so every simulated instance registers under them). Every step checks the chain first, so running it again is a no-op.
/// <paramref name="keyOf"/> lends the accounts' keys (the caller keeps ownership).
/// </summary>
public sealed class KeystoreNetworkBootstrapper(NearRpcClient rpc, Func<string, Ed25519KeyPair> keyOf, KeystoreNetworkSettings settings,
    ILogger? logger = null)
{
    private const ulong InitGas = 100_000_000_000_000;
    private const ulong GovernanceGas = 100_000_000_000_000;
    private readonly ILogger _log = logger ?? NullLogger.Instance;

    /// <summary>
    /// The OS measurement set the council approves for the simulator, as tee-dao stores it (lowercase hex): MRTD, RTMR0–2
    /// and the digest of the <c>key-provider</c> event. The same for every simulated instance, whatever its instance id.
    /// </summary>
    public static JsonObject OsMeasurement(SimulatedTdxOptions simulator)
    {
        // Ask the simulator for a quote and read what it reports, so the values are exactly what it attests.
        var provider = new SimulatedTdxProvider(simulator);
        var quote = provider.GetQuoteAsync(new byte[64], CancellationToken.None).GetAwaiter().GetResult();
        TdReport report = TdxQuote.Parse(quote.Quote).Report;
        var keyProvider = quote.EventLog.Entries.Single(e => e.Imr == 3 && e.Event == "key-provider");
        return new JsonObject
        {
            ["mrtd"] = Convert.ToHexStringLower(report.MrTd),
            ["rtmr0"] = Convert.ToHexStringLower(report.Rtmr0),
            ["rtmr1"] = Convert.ToHexStringLower(report.Rtmr1),
            ["rtmr2"] = Convert.ToHexStringLower(report.Rtmr2),
            ["key_provider_digest"] = Convert.ToHexStringLower(DstackEventLog.EffectiveDigest(keyProvider, 0)),
        };
    }

    /// <summary>The compose hash the council approves for the simulator: sha256 of its app-compose document.</summary>
    public static string ComposeHash(SimulatedTdxOptions simulator) => Convert.ToHexStringLower(simulator.ComposeHash);

    public async Task RunAsync(CancellationToken ct = default)
    {
        var root = new SimulatedTdxProvider(settings.Simulator).RootCaDer;
        await DeployAsync(settings.DaoAccountId, "tee_dao.wasm", new JsonObject
        {
            ["council"] = new JsonArray(settings.Council.Select(c => (JsonNode)c!).ToArray()),
            ["threshold"] = settings.Threshold,
            ["mpc_contract_id"] = settings.MpcAccountId,
            ["ckd_domain_id"] = settings.CkdDomainId,
            ["ckd_path"] = settings.CkdPath,
            ["root_ca_der_hex"] = Convert.ToHexStringLower(root),
            ["chain_keys_contract_id"] = settings.ChainKeysAccountId,
        }, ct).ConfigureAwait(false);
        await DeployAsync(settings.ChainKeysAccountId, "chain_keys.wasm",
            new JsonObject { ["dao_contract_id"] = settings.DaoAccountId }, ct).ConfigureAwait(false);
        JsonObject os = OsMeasurement(settings.Simulator);
        await ApproveAsync("list_os_measurements", os, Proposal("add_os_measurement", os), ct).ConfigureAwait(false);
        string compose = ComposeHash(settings.Simulator);
        await ApproveAsync("list_compose_hashes", JsonValue.Create(compose), new JsonObject { ["kind"] = "add_compose_hash", ["compose_hash"] = compose }, ct)
            .ConfigureAwait(false);
    }

    private static JsonObject Proposal(string kind, JsonObject fields)
    {
        var p = new JsonObject { ["kind"] = kind };
        foreach (var (name, value) in fields) p[name] = value?.DeepClone();
        return p;
    }

    private async Task DeployAsync(string account, string wasmFile, JsonObject init, CancellationToken ct)
    {
        AccountView view = await rpc.ViewAccountAsync(account, ct).ConfigureAwait(false);
        if (view.CodeHash != "11111111111111111111111111111111")
        {
            _log.LogInformation("{Account} already has a contract ({CodeHash}); not redeploying.", account, view.CodeHash);
            return;
        }
        string path = Path.Combine(settings.WasmDirectory, wasmFile);
        if (!File.Exists(path))
            throw new FileNotFoundException($"{path} is missing: build the contracts first (contracts/build.sh).", path);
        byte[] code = await File.ReadAllBytesAsync(path, ct).ConfigureAwait(false);
        Ed25519KeyPair key = keyOf(account);
        var sender = new TransactionSender(rpc, account, key);
        ExecutionOutcome outcome = await sender.SendAsync(account,
            [new DeployContractAction(code), FunctionCallAction.Json("new", init.ToJsonString(), InitGas, 0)], ct).ConfigureAwait(false);
        _log.LogInformation("Deployed {Wasm} to {Account} and initialised it ({TransactionHash}).", wasmFile, account, outcome.TransactionHash);
    }

    /// <summary>Has the council propose and vote <paramref name="proposal"/> unless <paramref name="listView"/> already lists <paramref name="item"/>.</summary>
    private async Task ApproveAsync(string listView, JsonNode item, JsonObject proposal, CancellationToken ct)
    {
        JsonNode? approved = await rpc.CallFunctionJsonAsync(settings.DaoAccountId, listView, "{}", ct).ConfigureAwait(false);
        if (approved is JsonArray list && list.Any(m => JsonNode.DeepEquals(m, item)))
        {
            _log.LogInformation("The simulator's {Kind} is already approved by {Dao}.", proposal["kind"]?.GetValue<string>(), settings.DaoAccountId);
            return;
        }

        long? proposalId = null;
        for (int i = 0; i < settings.Threshold; i++)
        {
            string member = settings.Council[i];
            Ed25519KeyPair key = keyOf(member);
            var sender = new TransactionSender(rpc, member, key);
            ExecutionOutcome outcome = proposalId is null
                ? await sender.FunctionCallAsync(settings.DaoAccountId, "propose", proposal.ToJsonString(), GovernanceGas, 0, ct).ConfigureAwait(false)
                : await sender.FunctionCallAsync(settings.DaoAccountId, "vote",
                    new JsonObject { ["proposal_id"] = proposalId }.ToJsonString(), GovernanceGas, 0, ct).ConfigureAwait(false);
            JsonNode? result = outcome.SuccessValueJson();
            proposalId ??= result?["id"]?.GetValue<long>();
            _log.LogInformation("{Member} {Action} {Kind}: {Status}.", member, i == 0 ? "proposed" : "voted for",
                proposal["kind"]?.GetValue<string>(), result?["status"]?.GetValue<string>());
        }
    }
}
