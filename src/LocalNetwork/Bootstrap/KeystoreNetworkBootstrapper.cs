using System.Text.Json.Nodes;
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
/// simulator's measurements in. Every step checks the chain first, so running it again is a no-op.
/// <paramref name="keyOf"/> lends the accounts' keys (the caller keeps ownership).
/// </summary>
public sealed class KeystoreNetworkBootstrapper(NearRpcClient rpc, Func<string, Ed25519KeyPair> keyOf, KeystoreNetworkSettings settings,
    ILogger? logger = null)
{
    private const ulong InitGas = 100_000_000_000_000;
    private const ulong GovernanceGas = 100_000_000_000_000;
    private readonly ILogger _log = logger ?? NullLogger.Instance;

    /// <summary>The measurement set the council approves, as tee-dao stores it (lowercase hex).</summary>
    public static JsonObject Measurements(SimulatedTdxOptions simulator)
    {
        // Ask the simulator for a quote and read what it reports, so RTMR3 includes its event log exactly.
        var provider = new SimulatedTdxProvider(simulator);
        byte[] quote = provider.GetQuoteAsync(new byte[64], CancellationToken.None).GetAwaiter().GetResult().Quote;
        TdReport report = TdxQuote.Parse(quote).Report;
        return new JsonObject
        {
            ["mrtd"] = Convert.ToHexStringLower(report.MrTd),
            ["rtmr0"] = Convert.ToHexStringLower(report.Rtmr0),
            ["rtmr1"] = Convert.ToHexStringLower(report.Rtmr1),
            ["rtmr2"] = Convert.ToHexStringLower(report.Rtmr2),
            ["rtmr3"] = Convert.ToHexStringLower(report.Rtmr3),
        };
    }

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
        await ApproveAsync(Measurements(settings.Simulator), ct).ConfigureAwait(false);
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

    private async Task ApproveAsync(JsonObject measurements, CancellationToken ct)
    {
        JsonNode? approved = await rpc.CallFunctionJsonAsync(settings.DaoAccountId, "list_measurements", "{}", ct).ConfigureAwait(false);
        if (approved is JsonArray list && list.Any(m => JsonNode.DeepEquals(Normalize(m), measurements)))
        {
            _log.LogInformation("The simulator's measurements are already approved by {Dao}.", settings.DaoAccountId);
            return;
        }

        long? proposalId = null;
        for (int i = 0; i < settings.Threshold; i++)
        {
            string member = settings.Council[i];
            Ed25519KeyPair key = keyOf(member);
            var sender = new TransactionSender(rpc, member, key);
            ExecutionOutcome outcome = proposalId is null
                ? await sender.FunctionCallAsync(settings.DaoAccountId, "propose",
                    new JsonObject { ["kind"] = "approve_measurements", ["measurements"] = measurements.DeepClone() }.ToJsonString(),
                    GovernanceGas, 0, ct).ConfigureAwait(false)
                : await sender.FunctionCallAsync(settings.DaoAccountId, "vote",
                    new JsonObject { ["proposal_id"] = proposalId }.ToJsonString(), GovernanceGas, 0, ct).ConfigureAwait(false);
            JsonNode? proposal = outcome.SuccessValueJson();
            proposalId ??= proposal?["id"]?.GetValue<long>();
            _log.LogInformation("{Member} {Action} approve_measurements: {Status}.", member, i == 0 ? "proposed" : "voted for",
                proposal?["status"]?.GetValue<string>());
        }
    }

    private static JsonNode Normalize(JsonNode? m) => new JsonObject
    {
        ["mrtd"] = m?["mrtd"]?.GetValue<string>(),
        ["rtmr0"] = m?["rtmr0"]?.GetValue<string>(),
        ["rtmr1"] = m?["rtmr1"]?.GetValue<string>(),
        ["rtmr2"] = m?["rtmr2"]?.GetValue<string>(),
        ["rtmr3"] = m?["rtmr3"]?.GetValue<string>(),
    };
}
