using System.Text;
using System.Text.Json.Nodes;
using Keystore.LocalNear.Chain;
using Keystore.LocalNear.Mpc;
using Keystore.Near.Bls12381;
using Keystore.Near.Ckd;
using Keystore.Near.Transactions;
using Xunit;

namespace Keystore.LocalNear.Tests.Runtime;

public sealed class MpcSignerContractTests
{
    private const string Mpc = "v1.signer.test";
    private static readonly MpcSimulator Simulator = MpcSimulator.CreateRandom();

    private static ChainHarness NewChain() =>
        new([(Mpc, null), ("alice.test", null)], new Dictionary<string, INativeContract> { [Mpc] = new MpcSignerContract(Simulator, 2) });

    [Fact]
    public void Public_key_view_returns_the_g2_key_as_a_json_string()
    {
        using var h = NewChain();
        var text = JsonNode.Parse(h.View(Mpc, "public_key", CkdRequest.PublicKeyViewArgs(2)))!.GetValue<string>();
        Assert.StartsWith("bls12381g2:", text);
        Assert.True(BlsKeyText.ParseG2(text).Equals(Simulator.PublicKey));
        Assert.Contains("domain 0 is not served", Assert.Throws<ChainQueryException>(() => h.View(Mpc, "public_key", """{"domain_id":0}""")).Message);
    }

    [Fact]
    public async Task Request_answers_for_the_predecessor_and_decrypts_to_a_verifiable_signature()
    {
        using var h = NewChain();
        var a = Scalar.Random();
        var appPublicKey = G1Point.Generator.Multiply(a);
        var outcome = await h.Call("alice.test", Mpc, "request_app_private_key", CkdRequest.ToJson(appPublicKey, "my/path", 2),
            gas: 50 * ChainHarness.Tgas, deposit: 1);

        var response = CkdResponse.FromJson(OutcomeAssert.SuccessText(outcome));
        var signature = CkdCrypto.Decrypt(response, a);
        Assert.True(CkdCrypto.Verify(signature, Simulator.PublicKey, CkdAppId.Derive("alice.test", "my/path")));
        Assert.False(CkdCrypto.Verify(signature, Simulator.PublicKey, CkdAppId.Derive("bob.test", "my/path")));
        // The yocto deposit stays with the signer contract.
        Assert.Equal(ChainHarness.OneNear * 100 + 1, h.Chain.ViewAccount(Mpc).Amount);
    }

    [Fact]
    public async Task A_contract_calling_the_signer_gets_the_answer_for_itself_through_its_callback()
    {
        using var h = new ChainHarness([(Mpc, null), ("contract.test", TestContract.Wasm), ("alice.test", null)],
            new Dictionary<string, INativeContract> { [Mpc] = new MpcSignerContract(Simulator, 2) });
        var a = Scalar.Random();
        var mpcBefore = h.Chain.ViewAccount(Mpc).Amount;
        var outcome = await h.Call("alice.test", "contract.test", "ask_mpc", CkdRequest.ToJson(G1Point.Generator.Multiply(a), "keystore", 2),
            gas: 100 * ChainHarness.Tgas);
        Assert.Equal(["contract.test", Mpc, "contract.test"], outcome.ReceiptsOutcome.Select(o => o.ExecutorId));
        var signature = CkdCrypto.Decrypt(CkdResponse.FromJson(OutcomeAssert.SuccessText(outcome)), a);
        Assert.True(CkdCrypto.Verify(signature, Simulator.PublicKey, CkdAppId.Derive("contract.test", "keystore")));
        Assert.Equal(mpcBefore + 1, h.Chain.ViewAccount(Mpc).Amount);
    }

    [Fact]
    public async Task TimeoutFirstRequests_fails_the_first_well_formed_requests_like_a_yield_timeout_then_answers()
    {
        var signer = new MpcSignerContract(Simulator, 2, timeoutFirstRequests: 2);
        using var h = new ChainHarness([(Mpc, null), ("alice.test", null)], new Dictionary<string, INativeContract> { [Mpc] = signer });
        var a = Scalar.Random();
        var request = CkdRequest.ToJson(G1Point.Generator.Multiply(a), "retry/path", 2);
        Assert.Equal(2, signer.TimeoutsLeft);

        // A request rejected by validation fails with its own error and does not use up a timeout.
        var noDeposit = await h.Call("alice.test", Mpc, "request_app_private_key", request, gas: 50 * ChainHarness.Tgas);
        Assert.StartsWith("Smart contract panicked: Attached deposit is lower than required", OutcomeAssert.ExecutionError(noDeposit));
        Assert.Equal(2, signer.TimeoutsLeft);

        for (int i = 0; i < 2; i++)
        {
            var timedOut = await h.Call("alice.test", Mpc, "request_app_private_key", request, gas: 50 * ChainHarness.Tgas, deposit: 1);
            Assert.Equal("Smart contract panicked: Request has timed out.", OutcomeAssert.ExecutionError(timedOut));
            Assert.Equal(Mpc, timedOut.ReceiptsOutcome.Single().ExecutorId);
        }
        Assert.Equal(0, signer.TimeoutsLeft);
        // The deposits of the timed-out requests came back with their failed receipts.
        Assert.Equal(ChainHarness.OneNear * 100, h.Chain.ViewAccount(Mpc).Amount);

        var answered = await h.Call("alice.test", Mpc, "request_app_private_key", request, gas: 50 * ChainHarness.Tgas, deposit: 1);
        var signature = CkdCrypto.Decrypt(CkdResponse.FromJson(OutcomeAssert.SuccessText(answered)), a);
        Assert.True(CkdCrypto.Verify(signature, Simulator.PublicKey, CkdAppId.Derive("alice.test", "retry/path")));
        // Views are unaffected throughout.
        Assert.True(BlsKeyText.ParseG2(JsonNode.Parse(h.View(Mpc, "public_key", CkdRequest.PublicKeyViewArgs(2)))!.GetValue<string>()).Equals(Simulator.PublicKey));
    }

    [Fact]
    public async Task A_contract_sees_the_injected_timeouts_as_failed_promise_results_then_a_verifiable_answer()
    {
        var signer = new MpcSignerContract(Simulator, 2, timeoutFirstRequests: 1);
        using var h = new ChainHarness([(Mpc, null), ("contract.test", TestContract.Wasm), ("alice.test", null)],
            new Dictionary<string, INativeContract> { [Mpc] = signer });
        var a = Scalar.Random();
        var request = CkdRequest.ToJson(G1Point.Generator.Multiply(a), "keystore", 2);

        var first = await h.Call("alice.test", "contract.test", "ask_mpc", request, gas: 100 * ChainHarness.Tgas);
        Assert.Equal("Smart contract panicked: Request has timed out.", OutcomeAssert.ExecutionError(first));
        // The contract's callback ran and saw a failed result.
        Assert.Equal("failed"u8.ToArray(), Assert.IsType<ExecutionStatus.SuccessValue>(first.ReceiptsOutcome[2].Status).Value);

        var second = await h.Call("alice.test", "contract.test", "ask_mpc", request, gas: 100 * ChainHarness.Tgas);
        var signature = CkdCrypto.Decrypt(CkdResponse.FromJson(OutcomeAssert.SuccessText(second)), a);
        Assert.True(CkdCrypto.Verify(signature, Simulator.PublicKey, CkdAppId.Derive("contract.test", "keystore")));
    }

    [Fact]
    public void A_negative_timeout_count_is_refused() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new MpcSignerContract(Simulator, 2, timeoutFirstRequests: -1));

    [Fact]
    public async Task Requests_without_deposit_or_for_another_domain_or_a_bad_key_panic()
    {
        using var h = NewChain();
        var appPublicKey = G1Point.Generator.Multiply(Scalar.Random());
        var noDeposit = await h.Call("alice.test", Mpc, "request_app_private_key", CkdRequest.ToJson(appPublicKey, "p", 2), gas: 50 * ChainHarness.Tgas);
        Assert.StartsWith("Smart contract panicked: Attached deposit is lower than required", OutcomeAssert.ExecutionError(noDeposit));

        var domain = await h.Call("alice.test", Mpc, "request_app_private_key", CkdRequest.ToJson(appPublicKey, "p", 0), gas: 50 * ChainHarness.Tgas, deposit: 1);
        Assert.Contains("domain 0 is not a CKD domain", OutcomeAssert.ExecutionError(domain));

        var badKey = await h.Call("alice.test", Mpc, "request_app_private_key",
            """{"request":{"derivation_path":"p","app_public_key":"bls12381g1:abc","domain_id":2}}""", gas: 50 * ChainHarness.Tgas, deposit: 1);
        Assert.Contains("invalid app_public_key", OutcomeAssert.ExecutionError(badKey));
        // The failed requests refunded their deposits.
        Assert.Equal(ChainHarness.OneNear * 100, h.Chain.ViewAccount(Mpc).Amount);
    }

    [Fact]
    public void Context_reaches_the_native_contract()
    {
        var probe = new ProbeContract();
        using var h = new ChainHarness([("probe.test", null), ("alice.test", null)], new Dictionary<string, INativeContract> { ["probe.test"] = probe });
        var result = h.Chain.CallFunction("probe.test", "look", "{}"u8);
        Assert.Equal("\"view\"", Encoding.UTF8.GetString(result.Result));
        Assert.True(probe.Last!.IsView);
        Assert.Equal("probe.test", probe.Last.CurrentAccountId);
    }

    private sealed class ProbeContract : INativeContract
    {
        public NativeCallContext? Last { get; private set; }

        public byte[] Call(NativeCallContext context, string methodName, ReadOnlySpan<byte> args)
        {
            Last = context;
            return Encoding.UTF8.GetBytes(context.IsView ? "\"view\"" : "\"" + context.PredecessorAccountId + "\"");
        }
    }

    [Fact]
    public async Task Native_contract_sees_the_caller_as_predecessor_in_transactions()
    {
        var probe = new ProbeContract();
        using var h = new ChainHarness([("probe.test", null), ("alice.test", null)], new Dictionary<string, INativeContract> { ["probe.test"] = probe });
        var outcome = await h.Send("alice.test", "probe.test", new FunctionCallAction("look", [], 10 * ChainHarness.Tgas, 5));
        Assert.Equal("\"alice.test\"", OutcomeAssert.SuccessText(outcome));
        Assert.Equal((UInt128)5, probe.Last!.AttachedDeposit);
        Assert.False(probe.Last.IsView);
    }
}
