using System.Security.Cryptography;
using System.Text;
using Keystore.LocalNear.Chain;
using Keystore.Near.Transactions;
using Xunit;

namespace Keystore.LocalNear.Tests.Runtime;

public sealed class ContractExecutionTests
{
    private const string C = "contract.test";

    [Fact]
    public async Task Storage_write_read_has_remove_through_registers()
    {
        using var h = ChainHarness.WithContract("alice.test");
        var set = await h.Call("alice.test", C, "set", "v1");
        Assert.Equal("", OutcomeAssert.SuccessText(set));
        Assert.Equal(["hello log"], set.ReceiptsOutcome.Single().Logs);
        Assert.Equal("v1", OutcomeAssert.SuccessText(await h.Call("alice.test", C, "get")));
        Assert.Equal("1", h.View(C, "has"));
        await h.Call("alice.test", C, "set", "value-2");
        Assert.Equal("value-2", h.View(C, "get"));
        Assert.Equal("value-2", OutcomeAssert.SuccessText(await h.Call("alice.test", C, "remove")));
        Assert.Equal("0", h.View(C, "has"));
        Assert.Equal("", OutcomeAssert.SuccessText(await h.Call("alice.test", C, "remove")));
    }

    [Fact]
    public async Task Storage_usage_counts_record_overhead_key_and_value()
    {
        using var h = ChainHarness.WithContract("alice.test");
        ulong before = h.Chain.ViewAccount(C).StorageUsage;
        await h.Call("alice.test", C, "set", "12345");
        Assert.Equal(before + 40 + 3 + 5, h.Chain.ViewAccount(C).StorageUsage);
        var state = h.Chain.ViewState(C, "ke"u8);
        Assert.Equal("key"u8.ToArray(), Assert.Single(state).Key);
        Assert.Equal("12345"u8.ToArray(), state[0].Value);
        Assert.Empty(h.Chain.ViewState(C, "x"u8));
        await h.Call("alice.test", C, "remove");
        Assert.Equal(before, h.Chain.ViewAccount(C).StorageUsage);
    }

    [Fact]
    public async Task Panic_rolls_back_state_refunds_the_deposit_and_burns_gas()
    {
        using var h = ChainHarness.WithContract("alice.test");
        await h.Call("alice.test", C, "set", "kept");
        var contractBefore = h.Chain.ViewAccount(C);
        var aliceBefore = h.Chain.ViewAccount("alice.test").Amount;

        var outcome = await h.Call("alice.test", C, "set_then_panic", "lost", deposit: ChainHarness.OneNear);

        Assert.Equal("Smart contract panicked: boom", OutcomeAssert.ExecutionError(outcome));
        Assert.Equal(0, OutcomeAssert.Failure(outcome)["ActionError"]!["index"]!.GetValue<int>());
        Assert.Equal("kept", h.View(C, "get"));
        var contractAfter = h.Chain.ViewAccount(C);
        Assert.Equal(contractBefore.Amount, contractAfter.Amount);
        Assert.Equal(contractBefore.StorageUsage, contractAfter.StorageUsage);
        // Alice got her deposit back and paid only for the burnt gas.
        var burnt = outcome.TransactionOutcome.GasBurnt + outcome.ReceiptsOutcome.Aggregate(0UL, (s, o) => s + o.GasBurnt);
        Assert.True(burnt > 0);
        Assert.Equal(aliceBefore - h.Chain.GasPrice * burnt, h.Chain.ViewAccount("alice.test").Amount);
    }

    [Fact]
    public async Task Missing_method_missing_code_and_traps_are_function_call_errors()
    {
        using var h = ChainHarness.WithContract("alice.test", "empty.test");
        var missing = await h.Call("alice.test", C, "nope");
        Assert.Equal("MethodNotFound", OutcomeAssert.FunctionCallError(missing)["MethodResolveError"]!.GetValue<string>());

        var noCode = await h.Call("alice.test", "empty.test", "anything");
        Assert.Equal("empty.test", OutcomeAssert.FunctionCallError(noCode)["CompilationError"]!["CodeDoesNotExist"]!["account_id"]!.GetValue<string>());

        var trap = await h.Call("alice.test", C, "trap");
        Assert.Equal("WebAssembly trap: An `unreachable` opcode was executed.", OutcomeAssert.ExecutionError(trap));

        var register = await h.Call("alice.test", C, "bad_register");
        Assert.Equal("77 does not correspond to existing register", OutcomeAssert.ExecutionError(register));
    }

    [Fact]
    public async Task Invalid_wasm_unknown_imports_and_methods_with_parameters_fail_when_called()
    {
        using var h = new ChainHarness([
            ("garbage.test", [0, 97, 115, 109, 9, 9, 9, 9]),
            ("unlinked.test", Wat.ToWasm("""(module (import "env" "no_such_host_fn" (func)) (memory (export "memory") 1) (func (export "go")))""")),
            ("params.test", Wat.ToWasm("""(module (memory (export "memory") 1) (func (export "go") (param i32)))""")),
            ("alice.test", null)]);
        var garbage = await h.Call("alice.test", "garbage.test", "go");
        Assert.Equal("Deserialization", OutcomeAssert.FunctionCallError(garbage)["CompilationError"]!["PrepareError"]!.GetValue<string>());
        var unlinked = await h.Call("alice.test", "unlinked.test", "go");
        Assert.Contains("no_such_host_fn", OutcomeAssert.FunctionCallError(unlinked)["LinkError"]!["msg"]!.GetValue<string>());
        var withParams = await h.Call("alice.test", "params.test", "go");
        Assert.Equal("MethodInvalidSignature", OutcomeAssert.FunctionCallError(withParams)["MethodResolveError"]!.GetValue<string>());
        Assert.Equal("wasm execution failed with error: MethodResolveError(MethodInvalidSignature)",
            Assert.Throws<ChainQueryException>(() => h.View("params.test", "go")).Message);
        var notFound = Assert.Throws<ChainQueryException>(() => h.View("params.test", "other"));
        Assert.Equal("wasm execution failed with error: MethodResolveError(MethodNotFound)", notFound.Message);
        Assert.Equal("""{"MethodResolveError":"MethodNotFound"}""", notFound.FunctionCallError!.ToJsonString());
        Assert.Equal("Deserialization",
            Assert.Throws<ChainQueryException>(() => h.View("garbage.test", "go")).FunctionCallError!["CompilationError"]!["PrepareError"]!.GetValue<string>());
    }

    [Fact]
    public async Task Exhausting_prepaid_gas_fails_with_GasExceeded_and_burns_it_all()
    {
        using var h = ChainHarness.WithContract("alice.test");
        var outcome = await h.Call("alice.test", C, "burn", gas: 10 * ChainHarness.Tgas);
        Assert.Equal("Exceeded the prepaid gas.", OutcomeAssert.ExecutionError(outcome));
        var receipt = outcome.ReceiptsOutcome.Single();
        Assert.True(receipt.GasBurnt >= 10 * ChainHarness.Tgas, $"burnt {receipt.GasBurnt}");
        Assert.Equal(h.Chain.GasPrice * receipt.GasBurnt, receipt.TokensBurnt);
    }

    [Fact]
    public async Task Predecessor_and_signer_and_sha256_are_the_runtime_values()
    {
        using var h = ChainHarness.WithContract("alice.test");
        Assert.Equal("alice.test|alice.test", OutcomeAssert.SuccessText(await h.Call("alice.test", C, "whoami")));
        var hash = await h.Call("alice.test", C, "hash_input", "abc");
        var value = Assert.IsType<FinalExecutionStatus.SuccessValue>(hash.Status).Value;
        Assert.Equal(SHA256.HashData("abc"u8), value);
    }

    [Fact]
    public async Task ViewCode_returns_the_deployed_wasm_and_its_hash()
    {
        using var h = ChainHarness.WithContract("alice.test");
        var code = h.Chain.ViewCode(C);
        Assert.Equal(TestContract.Wasm, code.Code);
        Assert.Equal(SHA256.HashData(TestContract.Wasm), code.Hash);
        Assert.Equal(h.Chain.ViewAccount(C).CodeHash, code.Hash);
        Assert.Equal(h.Chain.LatestBlock.Height, code.BlockHeight);
        Assert.Equal(h.Chain.LatestBlock.Hash, code.BlockHash);
        Assert.Equal(QueryErrorKind.NoContractCode, Assert.Throws<ChainQueryException>(() => h.Chain.ViewCode("alice.test")).Kind);
        Assert.Equal(QueryErrorKind.UnknownAccount, Assert.Throws<ChainQueryException>(() => h.Chain.ViewCode("ghost.test")).Kind);
        Assert.Equal(QueryErrorKind.InvalidAccount, Assert.Throws<ChainQueryException>(() => h.Chain.ViewCode("Not Valid")).Kind);

        // A redeploy is seen at once; the returned bytes are a copy.
        var other = Wat.ToWasm("""(module (memory (export "memory") 1) (func (export "go")))""");
        Assert.IsType<FinalExecutionStatus.SuccessValue>((await h.Send("alice.test", "alice.test", new DeployContractAction(other))).Status);
        var redeployed = h.Chain.ViewCode("alice.test");
        Assert.Equal(other, redeployed.Code);
        redeployed.Code[0] ^= 0xff;
        Assert.Equal(other, h.Chain.ViewCode("alice.test").Code);
    }

    [Fact]
    public void Views_read_state_and_refuse_state_changes()
    {
        using var h = ChainHarness.WithContract("alice.test");
        var error = Assert.Throws<ChainQueryException>(() => h.View(C, "set", "x"));
        Assert.Equal(QueryErrorKind.ContractExecutionError, error.Kind);
        Assert.Contains("storage_write is not allowed in view calls", error.Message);
        Assert.Contains("predecessor_account_id is not allowed in view calls",
            Assert.Throws<ChainQueryException>(() => h.View(C, "whoami")).Message);
        var panic = Assert.Throws<ChainQueryException>(() => h.View(C, "get"));
        Assert.Contains("Smart contract panicked: boom", panic.Message);
        Assert.Equal("Smart contract panicked: boom", panic.FunctionCallError!["ExecutionError"]!.GetValue<string>());
        Assert.Equal("storage_write is not allowed in view calls", error.FunctionCallError!["ExecutionError"]!.GetValue<string>());
        var noCode = Assert.Throws<ChainQueryException>(() => h.View("alice.test", "get"));
        Assert.Equal(QueryErrorKind.NoContractCode, noCode.Kind);
        Assert.Equal("alice.test", noCode.FunctionCallError!["CompilationError"]!["CodeDoesNotExist"]!["account_id"]!.GetValue<string>());
        Assert.Null(Assert.Throws<ChainQueryException>(() => h.View("ghost.test", "get")).FunctionCallError);
        Assert.Equal(QueryErrorKind.UnknownAccount, Assert.Throws<ChainQueryException>(() => h.View("ghost.test", "get")).Kind);
        Assert.Equal(QueryErrorKind.InvalidAccount, Assert.Throws<ChainQueryException>(() => h.Chain.ViewAccount("Not Valid")).Kind);
        Assert.Empty(h.Chain.ViewState(C, []));
    }

    [Fact]
    public async Task Outcomes_are_findable_by_hash_and_blocks_advance()
    {
        using var h = ChainHarness.WithContract("alice.test");
        var genesis = h.Chain.LatestBlock;
        var signed = h.Sign("alice.test", C, [new FunctionCallAction("set", "x"u8.ToArray(), 10 * ChainHarness.Tgas, 0)]);
        var outcome = await h.Chain.SubmitAsync(signed);
        Assert.Same(outcome, h.Chain.FindTransaction(signed.Transaction.Hash()));
        // Resubmitting the same signed transaction answers with the recorded outcome.
        Assert.Same(outcome, await h.Chain.SubmitAsync(signed));
        var latest = h.Chain.LatestBlock;
        Assert.Equal(genesis.Height + 2, latest.Height);
        Assert.Equal(genesis.TimestampNanos + 2_000_000_000UL, latest.TimestampNanos, (a, b) => a <= b);
        var txBlock = h.Chain.GetBlock(outcome.TransactionOutcome.BlockHash)!;
        Assert.Contains(txBlock.ExecutedIds, id => id.AsSpan().SequenceEqual(signed.Transaction.Hash()));
        Assert.Equal(txBlock.Hash, h.Chain.GetBlock(txBlock.Height)!.Hash);
        Assert.Equal(latest.Hash, outcome.ReceiptsOutcome.Single().BlockHash);
        Assert.Equal(Encoding.UTF8.GetBytes("x"), h.Chain.ViewState(C, []).Single().Value);
    }
}
