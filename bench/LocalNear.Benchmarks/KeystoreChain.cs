using System.Text;
using System.Text.Json.Nodes;
using Keystore.Attestation.Simulator;
using Keystore.LocalNear.Chain;
using Keystore.LocalNear.Genesis;
using Keystore.LocalNear.Mpc;
using Keystore.LocalNear.Runtime;
using Keystore.LocalNetwork.Bootstrap;
using Keystore.Near.Ckd;
using Keystore.Near.Keys;
using Keystore.Near.Transactions;

namespace Keystore.LocalNear.Benchmarks;

/// <summary>
/// An in-process <see cref="LocalChain"/> set up like the local keystore network: tee-dao deployed and initialised
/// (pinning the local TDX simulator's root CA), the council's proposal and vote approving the simulator's
/// measurements, and the native MPC signer with the development master key. Every setup step is a signed
/// transaction submitted to the chain, as <see cref="KeystoreNetworkBootstrapper"/> does over JSON-RPC.
/// </summary>
internal sealed class KeystoreChain : IDisposable
{
    public const string Root = "test.near";
    public const string Dao = "dao.test.near";
    public const string ChainKeys = "chain-keys.test.near";
    public const string Mpc = "v1.signer.test.near";
    public const string Receiver = "bob.test.near";
    public const string CkdPath = "keystore";
    public const int CkdDomainId = 2;
    public const ulong Tgas = 1_000_000_000_000;

    /// <summary>As the keystore sends them (TeeDaoClient.RegisterGas, CkdMasterSecretSource.RequestGas).</summary>
    public const ulong RegisterGas = 300 * Tgas;
    public const ulong RequestGas = 150 * Tgas;

    private static readonly string[] Council = ["alice.test.near", "bob.test.near", "carol.test.near"];
    private readonly Dictionary<string, Ed25519KeyPair> _keys;
    private readonly Dictionary<string, ulong> _nonces = new(StringComparer.Ordinal);

    private KeystoreChain(LocalChain chain, Dictionary<string, Ed25519KeyPair> keys, MpcSimulator mpc)
    {
        Chain = chain;
        _keys = keys;
        MpcNetwork = mpc;
    }

    public LocalChain Chain { get; }

    public MpcSimulator MpcNetwork { get; }

    /// <summary>The local development TD: the DAO pins its root CA and approves its measurements.</summary>
    public SimulatedTdxProvider Tdx { get; } = new(SimulatedTdxOptions.LocalDevelopment);

    public Ed25519KeyPair KeyOf(string accountId) => _keys[accountId];

    public static async Task<KeystoreChain> CreateAsync()
    {
        var oneNear = GenesisDocument.OneNear;
        (string Id, UInt128 Balance)[] accounts =
        [
            (Root, oneNear * 1_000_000_000), (Dao, oneNear * 10_000), (ChainKeys, oneNear * 10_000), (Mpc, oneNear * 10_000),
            (Council[0], oneNear * 1_000), (Council[1], oneNear * 1_000), (Council[2], oneNear * 1_000),
        ];
        var keys = accounts.ToDictionary(a => a.Id, _ => Ed25519KeyPair.Generate(), StringComparer.Ordinal);
        var mpc = MpcSimulator.FromHex(LocalMpcOptions.DevMasterKeyHex);
        var chain = new LocalChain(new LocalChainOptions
        {
            ChainId = "localnet",
            Accounts = accounts.Select(a => new GenesisAccount(a.Id, a.Balance, [keys[a.Id].PublicKey])).ToList(),
            NativeContracts = new Dictionary<string, INativeContract> { [Mpc] = new MpcSignerContract(mpc, CkdDomainId) },
        });
        var network = new KeystoreChain(chain, keys, mpc);
        try
        {
            await network.DeployDaoAsync().ConfigureAwait(false);
            await network.ApproveSimulatorAsync().ConfigureAwait(false);
            return network;
        }
        catch
        {
            network.Dispose();
            throw;
        }
    }

    private async Task DeployDaoAsync()
    {
        var init = new JsonObject
        {
            ["council"] = new JsonArray(Council.Select(c => (JsonNode?)c).ToArray()),
            ["threshold"] = 2,
            ["mpc_contract_id"] = Mpc,
            ["ckd_domain_id"] = CkdDomainId,
            ["ckd_path"] = CkdPath,
            ["root_ca_der_hex"] = Convert.ToHexStringLower(Tdx.RootCaDer),
            ["chain_keys_contract_id"] = ChainKeys,
            // The default allowance (1 NEAR) covers ~60 requests of 150 Tgas; a benchmark sends thousands from one worker key.
            ["worker_allowance"] = (GenesisDocument.OneNear * 1_000).ToString(),
        };
        byte[] wasm = await File.ReadAllBytesAsync(Path.Combine(WasmDirectory(), "tee_dao.wasm")).ConfigureAwait(false);
        EnsureSuccess(await SendAsync(Dao, _keys[Dao], Dao,
            new DeployContractAction(wasm), FunctionCallAction.Json("new", init.ToJsonString(), 100 * Tgas, 0)).ConfigureAwait(false), "deploy tee-dao");
    }

    private async Task ApproveSimulatorAsync()
    {
        var os = KeystoreNetworkBootstrapper.OsMeasurement(SimulatedTdxOptions.LocalDevelopment);
        os["kind"] = "add_os_measurement";
        await PassAsync(os).ConfigureAwait(false);
        await PassAsync(new JsonObject { ["kind"] = "add_compose_hash", ["compose_hash"] = KeystoreNetworkBootstrapper.ComposeHash(SimulatedTdxOptions.LocalDevelopment) })
            .ConfigureAwait(false);
    }

    private async Task PassAsync(JsonObject proposal)
    {
        var propose = await SendAsync(Council[0], _keys[Council[0]], Dao, FunctionCallAction.Json("propose", proposal.ToJsonString(), 100 * Tgas, 0)).ConfigureAwait(false);
        EnsureSuccess(propose, "propose");
        long id = JsonNode.Parse(SuccessText(propose))!["id"]!.GetValue<long>();
        var vote = await SendAsync(Council[1], _keys[Council[1]], Dao,
            FunctionCallAction.Json("vote", new JsonObject { ["proposal_id"] = id }.ToJsonString(), 100 * Tgas, 0)).ConfigureAwait(false);
        EnsureSuccess(vote, "vote");
        string status = JsonNode.Parse(SuccessText(vote))!["status"]!.GetValue<string>();
        if (status != "executed") throw new InvalidOperationException($"the {proposal["kind"]} proposal is {status}, not executed");
    }

    /// <summary>Signs with the next nonce of (<paramref name="signer"/>, <paramref name="key"/>) and executes to completion.</summary>
    public Task<FinalExecutionOutcome> SendAsync(string signer, Ed25519KeyPair key, string receiver, params NearAction[] actions)
    {
        string slot = signer + "/" + key.PublicKey;
        if (!_nonces.TryGetValue(slot, out ulong nonce)) nonce = Chain.ViewAccessKey(signer, key.PublicKey).Nonce;
        _nonces[slot] = ++nonce;
        return Chain.SubmitAsync(new Transaction(signer, key.PublicKey, nonce, receiver, Chain.LatestBlock.Hash, actions).Sign(key));
    }

    /// <summary><c>register_worker_key</c> arguments for <paramref name="worker"/>: a fresh simulator quote binding its key.</summary>
    public string RegistrationArgs(Ed25519PublicKey worker)
    {
        // tee-dao: report_data = worker public key ‖ 32 zero bytes.
        var quote = Tdx.GetQuoteAsync(worker.Bytes, CancellationToken.None).GetAwaiter().GetResult();
        return new JsonObject
        {
            ["public_key"] = worker.ToString(),
            ["quote_hex"] = Convert.ToHexStringLower(quote.Quote),
            ["collateral"] = JsonNode.Parse(Tdx.Collateral.ToJson()),
            ["event_log"] = JsonNode.Parse(quote.EventLogJson),
            ["app_compose"] = Tdx.Pki.Options.AppCompose,
        }.ToJsonString();
    }

    /// <summary>A new worker key, attested and registered (the relayer is the root account, as any funded account may be).</summary>
    public async Task<(Ed25519KeyPair Worker, FinalExecutionOutcome Outcome)> RegisterFreshWorkerAsync()
    {
        var worker = Ed25519KeyPair.Generate();
        var outcome = await SendAsync(Root, _keys[Root], Dao,
            FunctionCallAction.Json("register_worker_key", RegistrationArgs(worker.PublicKey), RegisterGas, 0)).ConfigureAwait(false);
        EnsureSuccess(outcome, "register_worker_key");
        return (worker, outcome);
    }

    /// <summary>"N receipts, X Tgas burnt" for a log line.</summary>
    public static string Describe(FinalExecutionOutcome outcome)
    {
        ulong gas = outcome.TransactionOutcome.GasBurnt + outcome.ReceiptsOutcome.Aggregate(0UL, (sum, r) => sum + r.GasBurnt);
        return $"{outcome.ReceiptsOutcome.Count} receipts, {gas / 1e12:F1} Tgas burnt";
    }

    /// <summary><c>tee-dao.request_master_secret</c> sent with the worker's function-call key on the DAO account.</summary>
    public Task<FinalExecutionOutcome> RequestMasterSecretAsync(Ed25519KeyPair worker, string appPublicKey) =>
        SendAsync(Dao, worker, Dao, FunctionCallAction.Json("request_master_secret",
            new JsonObject { ["app_public_key"] = appPublicKey }.ToJsonString(), RequestGas, 0));

    public static void EnsureSuccess(FinalExecutionOutcome outcome, string what)
    {
        if (outcome.Status is FinalExecutionStatus.Failure failure)
            throw new InvalidOperationException($"{what} failed: {failure.Error.ToJsonString()}");
    }

    public static string SuccessText(FinalExecutionOutcome outcome) => outcome.Status is FinalExecutionStatus.SuccessValue value
        ? Encoding.UTF8.GetString(value.Value)
        : throw new InvalidOperationException("the transaction failed: " + ((FinalExecutionStatus.Failure)outcome.Status).Error.ToJsonString());

    /// <summary>contracts/out (or LOCALNEAR_WASM_DIR), found from the benchmark's folder up to the repository root.</summary>
    private static string WasmDirectory()
    {
        if (Environment.GetEnvironmentVariable("LOCALNEAR_WASM_DIR") is { Length: > 0 } configured) return configured;
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, "contracts", "out");
            if (File.Exists(Path.Combine(candidate, "tee_dao.wasm"))) return candidate;
        }
        throw new FileNotFoundException("contracts/out/tee_dao.wasm not found above " + AppContext.BaseDirectory +
            "; build the contracts (contracts/build.sh) or set LOCALNEAR_WASM_DIR.");
    }

    public void Dispose()
    {
        Chain.Dispose();
        foreach (var key in _keys.Values) key.Dispose();
    }
}
