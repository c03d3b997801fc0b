using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Keystore.LocalNear.Chain;
using Keystore.LocalNear.Mpc;
using Keystore.Near.Ckd;
using Keystore.Near.Keys;
using Keystore.Near.Transactions;
using Xunit;
using Xunit.Abstractions;

namespace Keystore.LocalNear.Tests.Runtime;

/// <summary>
/// The real contracts (contracts/out/*.wasm) on the local chain: init, council governance, and an attested
/// worker registration that runs the full on-chain DCAP verification of the local test-PKI quote
/// (contracts/dcap/tests/vectors/local, verified at its <c>verify_at</c> time).
/// </summary>
public sealed class TeeDaoFlowTests(ITestOutputHelper output)
{
    private const string Dao = "dao.test";
    private const string Keys = "keys.test";
    private const string Mpc = "v1.signer.test";
    private static readonly MpcSimulator Simulator = MpcSimulator.CreateRandom();

    private static string Vector(string file) => Path.Combine(RepoPaths.Root, "contracts", "dcap", "tests", "vectors", "local", file);

    private static JsonNode Expected => JsonNode.Parse(File.ReadAllText(Vector("expected.json")))!;

    private ChainHarness NewChain(TestOutputLogger<Keystore.LocalNear.Runtime.LocalChain>? logger = null)
    {
        // Block time at the vectors' verification time, so the collateral is within its validity window.
        var verifyAt = DateTimeOffset.FromUnixTimeSeconds(Expected["verify_at"]!.GetValue<long>());
        return new(
            [
                (Dao, File.ReadAllBytes(RepoPaths.ContractWasm("tee_dao"))),
                (Keys, File.ReadAllBytes(RepoPaths.ContractWasm("chain_keys"))),
                (Mpc, null), ("alice.test", null), ("bob.test", null), ("carol.test", null), ("relayer.test", null),
            ],
            new Dictionary<string, INativeContract> { [Mpc] = new MpcSignerContract(Simulator, 2) },
            genesisTime: verifyAt, logger: logger);
    }

    private static string InitArgs(int threshold, params string[] council) => new JsonObject
    {
        ["council"] = new JsonArray(council.Select(c => (JsonNode)c).ToArray()),
        ["threshold"] = threshold,
        ["mpc_contract_id"] = Mpc,
        ["ckd_domain_id"] = 2,
        ["ckd_path"] = "keystore",
        ["chain_keys_contract_id"] = Keys,
        ["root_ca_der_hex"] = Convert.ToHexStringLower(File.ReadAllBytes(Vector("root_ca.der"))),
    }.ToJsonString();

    /// <summary>A proposal of <paramref name="kind"/> adding or removing the fixture's OS measurement set.</summary>
    private static string OsProposal(string kind)
    {
        var e = Expected;
        return new JsonObject
        {
            ["kind"] = kind, ["mrtd"] = e["mrtd"]!.DeepClone(), ["rtmr0"] = e["rtmr0"]!.DeepClone(), ["rtmr1"] = e["rtmr1"]!.DeepClone(),
            ["rtmr2"] = e["rtmr2"]!.DeepClone(), ["key_provider_digest"] = e["key_provider_digest"]!.DeepClone(),
        }.ToJsonString();
    }

    private static string AppCompose => File.ReadAllText(Vector("app_compose.json"));

    private static string ComposeProposal(string kind) =>
        new JsonObject { ["kind"] = kind, ["compose_hash"] = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(AppCompose))) }.ToJsonString();

    private static Ed25519PublicKey WorkerKey => new(Convert.FromHexString(Expected["worker_public_key_hex"]!.GetValue<string>()));

    /// <summary>The fixture's second instance of the same app: another worker key and instance id, so another RTMR3.</summary>
    private static Ed25519PublicKey WorkerKeyB => new(Convert.FromHexString(Expected["worker_b_public_key_hex"]!.GetValue<string>()));

    private static string Registration(string? eventLogOverride = null, string? appCompose = null, bool secondInstance = false) => new JsonObject
    {
        ["public_key"] = (secondInstance ? WorkerKeyB : WorkerKey).ToString(),
        ["quote_hex"] = Convert.ToHexStringLower(File.ReadAllBytes(Vector(secondInstance ? "quote_b.bin" : "quote.bin"))),
        ["collateral"] = JsonNode.Parse(File.ReadAllText(Vector("collateral.json"))),
        ["event_log"] = JsonNode.Parse(eventLogOverride ?? File.ReadAllText(Vector(secondInstance ? "event_log_b.json" : "event_log.json"))),
        ["app_compose"] = appCompose ?? AppCompose,
    }.ToJsonString();

    private static ulong TotalGas(FinalExecutionOutcome o) => o.TransactionOutcome.GasBurnt + o.ReceiptsOutcome.Aggregate(0UL, (s, r) => s + r.GasBurnt);

    private static string Tgas(ulong gas) => $"{gas / 1e12:F2} Tgas";

    private static void AssertSuccess(FinalExecutionOutcome outcome) =>
        Assert.True(outcome.Status is FinalExecutionStatus.SuccessValue, (outcome.Status as FinalExecutionStatus.Failure)?.Error.ToJsonString());

    [Fact]
    public async Task Council_approves_an_OS_set_and_a_compose_hash_and_two_instances_register_under_them_with_on_chain_DCAP()
    {
        var log = new TestOutputLogger<Keystore.LocalNear.Runtime.LocalChain>(output);
        using var h = NewChain(log);
        var init = await h.Call(Dao, Dao, "new", InitArgs(2, "alice.test", "bob.test", "carol.test"));
        AssertSuccess(init);
        AssertSuccess(await h.Call(Keys, Keys, "new", """{"dao_contract_id":"dao.test"}"""));
        var reinit = await h.Call(Dao, Dao, "new", InitArgs(1, "alice.test"));
        Assert.Equal("Smart contract panicked: already initialized", OutcomeAssert.ExecutionError(reinit));

        var propose = await h.Call("alice.test", Dao, "propose", OsProposal("add_os_measurement"));
        Assert.Equal("open", JsonNode.Parse(OutcomeAssert.SuccessText(propose))!["status"]!.GetValue<string>());
        Assert.Equal("Smart contract panicked: already voted", OutcomeAssert.ExecutionError(await h.Call("alice.test", Dao, "vote", """{"proposal_id":0}""")));
        Assert.Equal("Smart contract panicked: only council members may do this",
            OutcomeAssert.ExecutionError(await h.Call("relayer.test", Dao, "vote", """{"proposal_id":0}""")));
        var vote = await h.Call("bob.test", Dao, "vote", """{"proposal_id":0}""");
        Assert.Equal("executed", JsonNode.Parse(OutcomeAssert.SuccessText(vote))!["status"]!.GetValue<string>());
        Assert.Equal(Expected["key_provider_digest"]!.GetValue<string>(), JsonNode.Parse(h.View(Dao, "list_os_measurements"))![0]!["key_provider_digest"]!.GetValue<string>());
        var proposeCompose = await h.Call("alice.test", Dao, "propose", ComposeProposal("add_compose_hash"));
        var voteCompose = await h.Call("bob.test", Dao, "vote", """{"proposal_id":1}""");
        Assert.Equal("executed", JsonNode.Parse(OutcomeAssert.SuccessText(voteCompose))!["status"]!.GetValue<string>());
        Assert.Equal(Expected["compose_hash"]!.GetValue<string>(), JsonNode.Parse(h.View(Dao, "list_compose_hashes"))![0]!.GetValue<string>());

        var register = await h.Call("relayer.test", Dao, "register_worker_key", Registration(), gas: 300 * ChainHarness.Tgas);
        var worker = JsonNode.Parse(OutcomeAssert.SuccessText(register))!;
        Assert.Equal("UpToDate", worker["tcb_status"]!.GetValue<string>());
        var receipt = register.ReceiptsOutcome[0];
        Assert.Contains($"worker {WorkerKey} registered", receipt.Logs);
        // The DCAP verification is tens of Tgas of wasm (README: ≈ 87 M instructions ≈ 72 Tgas).
        Assert.InRange(receipt.GasBurnt, 30 * ChainHarness.Tgas, 300 * ChainHarness.Tgas);
        output.WriteLine($"new {Tgas(init.ReceiptsOutcome[0].GasBurnt)}; propose add_os_measurement {Tgas(propose.ReceiptsOutcome[0].GasBurnt)}; " +
            $"vote (executes add_os_measurement) {Tgas(vote.ReceiptsOutcome[0].GasBurnt)}; propose add_compose_hash {Tgas(proposeCompose.ReceiptsOutcome[0].GasBurnt)}; " +
            $"vote (executes add_compose_hash) {Tgas(voteCompose.ReceiptsOutcome[0].GasBurnt)}; register_worker_key receipt {Tgas(receipt.GasBurnt)}, " +
            $"transaction total {Tgas(TotalGas(register))} over {register.ReceiptsOutcome.Count} receipts");

        // The per-call log reports the metered wasm instructions (README: ≈ 87 M for one DCAP verification).
        Assert.Contains(log.Lines, l => l.StartsWith("dao.test.register_worker_key: ", StringComparison.Ordinal) && l.Contains("wasm instructions", StringComparison.Ordinal));

        // The contract's add_key receipt gave the worker a function-call key on the DAO account.
        Assert.Equal(2, register.ReceiptsOutcome.Count);
        var key = h.Chain.ViewAccessKey(Dao, WorkerKey);
        var permission = Assert.IsType<FunctionCallPermission>(key.Permission);
        Assert.Equal(Dao, permission.ReceiverId);
        Assert.Equal(["request_master_secret", "register_binding", "worker_heartbeat", "anchor_audit_head"], permission.MethodNames);
        Assert.Equal(ChainHarness.OneNear, permission.Allowance);
        Assert.Equal("true", h.View(Dao, "is_registered_worker", new JsonObject { ["public_key"] = WorkerKey.ToString() }.ToJsonString()));
        Assert.True(JsonNode.Parse(h.View(Dao, "get_worker", new JsonObject { ["public_key"] = WorkerKey.ToString() }.ToJsonString()))!["measurements_approved"]!.GetValue<bool>());

        // Registering again is a no-op that succeeds.
        AssertSuccess(await h.Call("relayer.test", Dao, "register_worker_key", Registration(), gas: 300 * ChainHarness.Tgas));

        // A second instance of the app (another instance id, so another RTMR3) registers under the same approval.
        Assert.NotEqual(Expected["rtmr3"]!.GetValue<string>(), Expected["rtmr3_b"]!.GetValue<string>());
        var registerB = await h.Call("relayer.test", Dao, "register_worker_key", Registration(secondInstance: true), gas: 300 * ChainHarness.Tgas);
        Assert.Equal(Expected["rtmr3_b"]!.GetValue<string>(), JsonNode.Parse(OutcomeAssert.SuccessText(registerB))!["measurements"]!["rtmr3"]!.GetValue<string>());
        Assert.Equal("true", h.View(Dao, "is_registered_worker", new JsonObject { ["public_key"] = WorkerKeyB.ToString() }.ToJsonString()));

        // The TCB policy: statuses, named advisories, grace.
        var tcbPolicy = await h.Call("alice.test", Dao, "propose",
            """{"kind":"set_accepted_tcb_statuses","statuses":["UpToDate","SWHardeningNeeded"],"advisory_ids":["INTEL-SA-00837"],"grace_seconds":604800}""");
        var tcbVote = await h.Call("bob.test", Dao, "vote", """{"proposal_id":2}""");
        Assert.Equal("executed", JsonNode.Parse(OutcomeAssert.SuccessText(tcbVote))!["status"]!.GetValue<string>());
        var status = JsonNode.Parse(h.View(Dao, "get_worker_status", new JsonObject { ["public_key"] = WorkerKey.ToString() }.ToJsonString()))!;
        Assert.Equal(("UpToDate", "accepted"), (status["tcb_status"]!.GetValue<string>(), status["tcb"]!.GetValue<string>()));

        // Revoking the compose hash refuses both instances at once; pruning (anyone may send it) deletes their keys.
        var proposeRevoke = await h.Call("bob.test", Dao, "propose", ComposeProposal("remove_compose_hash"));
        var revoke = await h.Call("carol.test", Dao, "vote", """{"proposal_id":3}""");
        Assert.Equal("executed", JsonNode.Parse(OutcomeAssert.SuccessText(revoke))!["status"]!.GetValue<string>());
        foreach (Ed25519PublicKey k in new[] { WorkerKey, WorkerKeyB })
        {
            Assert.Equal("false", h.View(Dao, "is_registered_worker", new JsonObject { ["public_key"] = k.ToString() }.ToJsonString()));
            var st = JsonNode.Parse(h.View(Dao, "get_worker_status", new JsonObject { ["public_key"] = k.ToString() }.ToJsonString()))!;
            Assert.Equal(("revoked", "this worker's compose hash was revoked"), (st["status"]!.GetValue<string>(), st["reason"]!.GetValue<string>()));
        }
        var proposeRemoveOs = await h.Call("bob.test", Dao, "propose", OsProposal("remove_os_measurement"));
        var removeOs = await h.Call("carol.test", Dao, "vote", """{"proposal_id":4}""");
        Assert.Equal("executed", JsonNode.Parse(OutcomeAssert.SuccessText(removeOs))!["status"]!.GetValue<string>());
        var prune = await h.Call("relayer.test", Dao, "prune_workers", """{"limit":10}""");
        Assert.Equal(2, JsonNode.Parse(OutcomeAssert.SuccessText(prune))!["pruned"]!.GetValue<int>());
        Assert.Equal(QueryErrorKind.UnknownAccessKey, Assert.Throws<ChainQueryException>(() => h.Chain.ViewAccessKey(Dao, WorkerKey)).Kind);
        Assert.Equal(QueryErrorKind.UnknownAccessKey, Assert.Throws<ChainQueryException>(() => h.Chain.ViewAccessKey(Dao, WorkerKeyB)).Kind);
        output.WriteLine($"second instance register_worker_key receipt {Tgas(registerB.ReceiptsOutcome[0].GasBurnt)}; " +
            $"propose set_accepted_tcb_statuses {Tgas(tcbPolicy.ReceiptsOutcome[0].GasBurnt)}, vote (executes) {Tgas(tcbVote.ReceiptsOutcome[0].GasBurnt)}; " +
            $"propose remove_compose_hash {Tgas(proposeRevoke.ReceiptsOutcome[0].GasBurnt)}, vote (executes, 2 workers) {Tgas(revoke.ReceiptsOutcome[0].GasBurnt)}; " +
            $"propose remove_os_measurement {Tgas(proposeRemoveOs.ReceiptsOutcome[0].GasBurnt)}, vote (executes) {Tgas(removeOs.ReceiptsOutcome[0].GasBurnt)}; " +
            $"prune_workers (2) {Tgas(TotalGas(prune))}");
    }

    [Fact]
    public async Task Unapproved_compose_documents_tampered_events_and_too_little_gas_are_refused()
    {
        using var h = NewChain();
        AssertSuccess(await h.Call(Dao, Dao, "new", InitArgs(1, "alice.test")));
        AssertSuccess(await h.Call("alice.test", Dao, "propose", OsProposal("add_os_measurement")));
        var unapproved = await h.Call("relayer.test", Dao, "register_worker_key", Registration(), gas: 300 * ChainHarness.Tgas);
        Assert.Equal($"Smart contract panicked: compose hash {Expected["compose_hash"]!.GetValue<string>()} is not approved", OutcomeAssert.ExecutionError(unapproved));
        Assert.DoesNotContain(h.Chain.ViewAccessKeyList(Dao), k => k.PublicKey.Equals(WorkerKey));

        AssertSuccess(await h.Call("alice.test", Dao, "propose", ComposeProposal("add_compose_hash")));
        var events = JsonNode.Parse(File.ReadAllText(Vector("event_log.json")))!;
        events[4]!["event_payload"] = "cd";
        var replay = await h.Call("relayer.test", Dao, "register_worker_key", Registration(events.ToJsonString()), gas: 300 * ChainHarness.Tgas);
        Assert.StartsWith("Smart contract panicked: RTMR3 replay mismatch", OutcomeAssert.ExecutionError(replay));
        var tampered = JsonNode.Parse(File.ReadAllText(Vector("event_log.json")))!;
        // The honest digest (dstack: SHA384(u32_le(0x08000001) ‖ ":compose-hash:" ‖ payload)) logged beside a swapped payload.
        byte[] honest = SHA384.HashData([.. BitConverter.GetBytes(0x08000001u), .. ":compose-hash:"u8, .. Convert.FromHexString(tampered[3]!["event_payload"]!.GetValue<string>())]);
        tampered[3]!["digest"] = Convert.ToHexStringLower(honest);
        tampered[3]!["event_payload"] = new string('0', 64);
        var forged = await h.Call("relayer.test", Dao, "register_worker_key", Registration(tampered.ToJsonString()), gas: 300 * ChainHarness.Tgas);
        Assert.Equal("Smart contract panicked: event log: event 3 'compose-hash': digest does not match its type, name and payload", OutcomeAssert.ExecutionError(forged));
        var otherDocument = await h.Call("relayer.test", Dao, "register_worker_key", Registration(appCompose: AppCompose + " "), gas: 300 * ChainHarness.Tgas);
        Assert.Equal("Smart contract panicked: app_compose does not match the compose-hash event (sha256 of the document differs)", OutcomeAssert.ExecutionError(otherDocument));

        var starved = await h.Call("relayer.test", Dao, "register_worker_key", Registration(), gas: 20 * ChainHarness.Tgas);
        Assert.Equal("Exceeded the prepaid gas.", OutcomeAssert.ExecutionError(starved));
        Assert.Equal("false", h.View(Dao, "is_registered_worker", new JsonObject { ["public_key"] = WorkerKey.ToString() }.ToJsonString()));
    }
}
